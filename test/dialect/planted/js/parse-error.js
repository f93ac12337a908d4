// expect: parse x1
import t from "x";exports.t=t;
