// expect: prototype-read x2
// Reads of built-in prototype methods are undefined on Espruino; hasOwnProperty and assignments work.
const t=Array.prototype.slice,e=String.prototype.charCodeAt,s=Object.prototype.hasOwnProperty;Array.prototype.extra=function(){},exports.x=[t,e,s];
