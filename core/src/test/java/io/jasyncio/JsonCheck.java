package io.jasyncio;

/** A strict little JSON reader for tests: throws on anything that is not one well-formed JSON value. */
final class JsonCheck {
    private final String s;
    private int i;

    private JsonCheck(String s) {
        this.s = s;
    }

    static void parse(String s) {
        JsonCheck j = new JsonCheck(s);
        j.value();
        j.ws();
        if (j.i != s.length()) {
            throw new AssertionError("trailing text at " + j.i);
        }
    }

    private void ws() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private void value() {
        ws();
        char c = s.charAt(i);
        if (c == '{') {
            i++;
            ws();
            if (s.charAt(i) == '}') {
                i++;
                return;
            }
            do {
                ws();
                string();
                ws();
                expect(':');
                value();
                ws();
            } while (s.charAt(i++) == ',');
            if (s.charAt(i - 1) != '}') {
                throw new AssertionError("expected } at " + (i - 1));
            }
        } else if (c == '[') {
            i++;
            ws();
            if (s.charAt(i) == ']') {
                i++;
                return;
            }
            do {
                value();
                ws();
            } while (s.charAt(i++) == ',');
            if (s.charAt(i - 1) != ']') {
                throw new AssertionError("expected ] at " + (i - 1));
            }
        } else if (c == '"') {
            string();
        } else if (s.startsWith("null", i) || s.startsWith("true", i)) {
            i += 4;
        } else if (s.startsWith("false", i)) {
            i += 5;
        } else {
            int start = i;
            while (i < s.length() && "-+.eE0123456789".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (i == start) {
                throw new AssertionError("unexpected '" + c + "' at " + i);
            }
        }
    }

    private void string() {
        expect('"');
        while (s.charAt(i) != '"') {
            if (s.charAt(i) < 0x20) {
                throw new AssertionError("control character in a string at " + i);
            }
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
    }

    private void expect(char c) {
        if (s.charAt(i) != c) {
            throw new AssertionError("expected '" + c + "' at " + i + ", got '" + s.charAt(i) + "'");
        }
        i++;
    }
}
