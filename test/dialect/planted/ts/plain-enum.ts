// expect: no-restricted-syntax "plain enum"
export enum State { Idle, Busy }
