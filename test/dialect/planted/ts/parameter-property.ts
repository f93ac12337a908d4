// expect: no-restricted-syntax "parameter property"
export class Conn {
  constructor(public host: string) {}
}
