// The console's line discipline: what Espruino 2v29 does with each byte that arrives on its console
// (src/jsinteractive.c jsiHandleConsoleChar, jsiHandleNewLine, jsiConsoleRemoveInputLine/ReturnInputLine,
// jsiCountBracketsInInput). Echo of typed characters, the ">" prompt, "=value" after a line typed at the prompt,
// multi-line input until brackets balance (":" continuation), DLE (\x10) at the start of a line = that line
// without echo or result, Alt-Enter (ESC LF) = newline without executing, Ctrl-C clears the line, Ctrl-E
// identifies the firmware. Not emulated: cursor keys, history and tab completion (the cursor stays at the
// end of the line), packet transfer (DLE SOH is answered with NAK).

const KEYWORDS = new Set(["if", "else", "do", "while", "for", "break", "continue", "function", "return", "var", "let", "const",
  "this", "throw", "try", "catch", "finally", "new", "in", "of", "instanceof", "switch", "case", "default", "delete", "typeof",
  "void", "debugger", "class", "extends", "super", "static", "yield", "async", "await"]);
const VALUE_KEYWORDS = new Set(["true", "false", "null", "undefined"]);
// after these a "/" starts a regex (jslex.c jslGetNextToken, case '/')
const BEFORE_REGEX = new Set(["EOF", "keyword", "!", "%", "&", "*", "+", "-", "/", "<", "=", ">", "?", "[", "{", "}", "(", ",", ";", ":"]);

/**
 * jsiCountBracketsInInput: open minus closed brackets, counted on the lexer's tokens; 0 when a string is
 * unfinished (executes so that it errors), 1000 inside an unfinished comment or template literal.
 */
export function countBrackets(text) {
  let brackets = 0;
  let last = "EOF";
  let i = 0;
  while (i < text.length && brackets >= 0) {
    const ch = text[i];
    if (" \t\n\r\v\f".includes(ch)) {
      i++;
    } else if (ch === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end + 1;
    } else if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) return 1000;
      i = end + 2;
    } else if (ch === "\"" || ch === "'" || ch === "`" || (ch === "/" && BEFORE_REGEX.has(last))) {
      let j = i + 1;
      while (j < text.length && text[j] !== ch && (text[j] !== "\n" || ch === "`")) j += text[j] === "\\" ? 2 : 1;
      if (text[j] !== ch && ch !== "/") return ch === "`" ? 1000 : 0;
      i = j + 1;
      last = "value";
    } else if (/[A-Za-z0-9_$]/.test(ch)) {
      const word = /^[A-Za-z0-9_$.]+/.exec(text.slice(i))[0].split(".")[0] || ch;
      i += word.length;
      last = KEYWORDS.has(word) && !VALUE_KEYWORDS.has(word) ? "keyword" : "value";
    } else {
      if ("([{".includes(ch)) brackets++;
      if (")]}".includes(ch)) brackets--;
      last = ch === ")" || ch === "]" ? "value" : ch;
      i++;
    }
  }
  return brackets;
}

const crlf = (text) => text.replace(/\n/g, "\r\n");

/**
 * @param {object} io
 * @param {(bytes: string) => void} io.write bytes to the console device
 * @param {(line: string) => string | undefined} io.execute runs a line; the "=…" text of its value, undefined if it threw
 * @param {string} io.identity what Ctrl-E prints ("Espruino 2v29 ESP32")
 */
export function createLineDiscipline({ write, execute, identity }) {
  let line = "";
  let echoOff = false; // echo(0)
  let echoOffForLine = false; // DLE at the start of the line
  let removed = false; // the input line is not on the screen (output was printed over it)
  let ctrlC = false;
  let state = "none";
  let number = 0;
  let packetLeft = -1; // > -1 while swallowing an unsupported packet
  let packetHeader = "";

  const echo = () => !echoOff && !echoOffForLine;
  const show = () => echo() && !removed;

  /** jsiConsoleRemoveInputLine: before any output, take the prompt and input line off the screen. */
  function removeInputLine() {
    if (removed) return;
    removed = true;
    if (!echo()) return;
    const lines = line.split("\n");
    write("\x1B[D".repeat(lines[lines.length - 1].length) + "\x1B[A".repeat(lines.length - 1) + "\r\x1B[J");
  }

  /** jsiConsoleReturnInputLine: at the end of each idle loop, put the prompt back. */
  function returnInputLine() {
    if (!removed) return;
    removed = false;
    if (echo()) write(`>${line.replace(/\n/g, "\r\n:")}`);
  }

  function append(text) {
    line += text;
    if (show()) write(text);
  }

  function backspace() {
    if (line.length === 0) return;
    const gone = line[line.length - 1];
    line = line.slice(0, -1);
    if (!show()) return;
    if (gone === "\n") {
      const previous = line.split("\n").pop();
      write(`\x1B[J\x08 ${"\x1B[C".repeat(previous.length)}\x1B[A`);
    } else {
      write("\x08 \x08");
    }
  }

  function newLine(executeIt) {
    if (!executeIt || countBrackets(line) > 0) {
      if (show()) write("\r\n:");
      line += "\n";
      return;
    }
    if (show()) write("\r\n");
    if (!echoOffForLine) removed = true;
    const toRun = line.replace(/\s+$/, "");
    line = "";
    if (toRun !== "") {
      const result = execute(toRun);
      if (echo() && result !== undefined) write(`=${crlf(result)}\r\n`);
    }
    echoOffForLine = false;
  }

  function handleChar(ch) {
    const c = ch.charCodeAt(0);
    if (packetLeft >= 0) {
      if (packetHeader.length < 2) {
        packetHeader += ch;
        if (packetHeader.length === 2) packetLeft = ((packetHeader.charCodeAt(0) << 8) | packetHeader.charCodeAt(1)) & 0x1fff;
      } else {
        packetLeft--;
      }
      if (packetHeader.length === 2 && packetLeft === 0) {
        packetLeft = -1;
        write("\x15"); // NAK: packets are not emulated
      }
      return;
    }
    if (c === 0) {
      state = "none";
    } else if (c === 1) {
      if (state === "dle") {
        if (line === "") echoOffForLine = false;
        packetLeft = 0;
        packetHeader = "";
      }
    } else if (c === 3) {
      ctrlC = true; // acted on after this batch of input (jsiLoop)
    } else if (c === 5) {
      if (line === "") write(`${identity}\r\n`);
    } else if (c === 16) {
      if (line === "") echoOffForLine = true;
      state = "dle";
    } else if (c === 27) {
      state = "esc";
    } else if (state === "esc") {
      state = c === 79 ? "esc-O" : c === 91 ? "csi" : "none";
      if (c === 10) newLine(false); // Alt-Enter
    } else if (state === "esc-O") {
      state = "none";
      const keypad = { 111: "/", 106: "*", 109: "-", 107: "+", 77: "\r" }[c];
      if (keypad) handleChar(keypad);
    } else if (state === "csi") {
      state = "none";
      if (c >= 48 && c <= 57) {
        number = c - 48;
        state = "csi-number";
      }
    } else if (state === "csi-number") {
      if (c >= 48 && c <= 57) {
        number = number * 10 + c - 48;
        return;
      }
      if (ch === "H" && number === 2) clearLine(true);
      state = "none";
    } else {
      state = "none";
      if (c === 8 || c === 127) backspace();
      else if (ch === "\r" || ch === "\n") newLine(true); // "\r\n" is two newlines in 2v29 (the IPS_HAD_R test never matches)
      else if (ch === "\t") {
        if (!echo()) append("    "); // with echo on: tab completion, not emulated
      } else if (c >= 32) append(ch);
    }
  }

  function clearLine(updateConsole) {
    if (line === "") return;
    if (updateConsole) removeInputLine();
    line = "";
  }

  return {
    /** One batch of received bytes (one latin1 char per byte). */
    input(bytes) {
      for (const ch of bytes) handleChar(ch);
    },
    /** The end of jsiLoop: Ctrl-C clears the line, then the prompt comes back. */
    afterLoop() {
      if (ctrlC) {
        ctrlC = false;
        clearLine(true);
      }
      returnInputLine();
    },
    removeInputLine,
    /** Output printed by the board (print, "Uncaught …"): over the input line, "\n" as "\r\n". */
    print(text) {
      removeInputLine();
      write(`${crlf(text)}\r\n`);
    },
    echo,
    setEcho(on) {
      echoOff = !on;
    },
    /** jsiSoftInit after reset()/load(): a new, empty input line; reset() and load(file) also turn echo back on. */
    restart({ echoOn }) {
      line = "";
      state = "none";
      if (echoOn) {
        echoOff = false;
        echoOffForLine = false;
      }
    },
    /** Output printed straight to the console (banner, "<- Serial1"); the prompt comes back at the loop's end. */
    printRaw(text) {
      write(crlf(text));
      removed = true;
    },
    /** A new console device: what the old one showed is gone (jsiSetConsoleDevice). */
    deviceChanged() {
      removed = true;
    },
  };
}
