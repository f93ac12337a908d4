// expect: no-restricted-syntax "class `extends`"
// expect: no-restricted-syntax "`super`"
class Base {
  n = 0;
}
export class Sub extends Base {
  constructor() {
    super();
  }
}
