// expect: @typescript-eslint/restrict-template-expressions
export function line(reply: string | undefined): string {
  return `PUB x ${reply}`;
}
