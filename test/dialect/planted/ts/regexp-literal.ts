// expect: no-restricted-syntax "RegExp literal"
export const CRLF = /\r\n/;
