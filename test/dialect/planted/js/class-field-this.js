// expect: class-field-this x1
class t{n=1;get=()=>this.n}exports.C=t;
