// expect: private-member x2
class t{#e=1;get(){return this.#e}}exports.C=t;
