// expect: extends-error x1
class t extends Error{}exports.E=t;
