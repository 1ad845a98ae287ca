#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The code a page shows is the code the tests run.

  doc-excerpts.py [--section TITLE] PAGE.md LANG=SOURCE [LANG=SOURCE ...]

Every fenced code block of PAGE.md whose info string is LANG (```c,
```python) must be an excerpt of SOURCE: its lines, as written there
(indentation included, trailing blanks not compared), a run of
consecutive lines of SOURCE. A line that is only an elision mark ("...",
"/* ... */" or "# ...") splits a block into parts, each of which must be
such a run, in the order they have in SOURCE. Blocks in other languages
are not checked. Each LANG must have at least one block. With
--section, only the blocks of the section whose heading is TITLE count
(up to the next heading of its level or above): a page whose other
sections belong to others (README.md).

Exit status 0 when every block is an excerpt, 1 when one is not (the
first line that differs is shown), 2 on a usage error.
"""
import re
import sys

ELISIONS = {"...", "/* ... */", "# ..."}


def section(text, title):
    """The part of @text under the heading @title, or None."""
    m = re.search(r"^(#+) %s[ \t]*\n" % re.escape(title), text, re.M)
    if m is None:
        return None
    rest = text[m.end():]
    end = re.search(r"^#{1,%d} " % len(m.group(1)), rest, re.M)
    return rest[:end.start()] if end else rest


def blocks(text, lang):
    return re.findall(r"^```%s\n(.*?)^```" % re.escape(lang), text,
                      re.S | re.M)


def parts(block):
    part = []
    for line in block.rstrip("\n").split("\n"):
        if line.strip() in ELISIONS:
            if part:
                yield part
            part = []
        else:
            part.append(line.rstrip())
    if part:
        yield part


def find(lines, part, start):
    """The index in @lines after the first run equal to @part at or after
    @start, or -1."""
    for i in range(start, len(lines) - len(part) + 1):
        if lines[i:i + len(part)] == part:
            return i + len(part)
    return -1


def closest(lines, part):
    """What differs where the part's first line is found: for the report."""
    best = None
    for i, line in enumerate(lines):
        if line == part[0]:
            n = 0
            while (n < len(part) and i + n < len(lines)
                   and lines[i + n] == part[n]):
                n += 1
            if best is None or n > best[1]:
                best = (i, n)
    if best is None:
        return "its first line %r is nowhere in the source" % part[0]
    i, n = best
    if n == len(part):
        return ("it is at line %d of the source, but before the part that "
                "comes ahead of it on the page" % (i + 1))
    return ("line %d of the source matches %d lines; then the page has %r "
            "and the source %r" % (i + 1, n, part[n],
                                   lines[i + n] if i + n < len(lines)
                                   else "(end of file)"))


def main(argv):
    title = None
    if argv[:1] == ["--section"] and len(argv) > 1:
        title, argv = argv[1], argv[2:]
    if len(argv) < 2 or not all("=" in a for a in argv[1:]):
        print(__doc__)
        return 2
    page, failed = argv[0], 0
    text = open(page, encoding="utf-8").read()
    if title is not None:
        text = section(text, title)
        if text is None:
            print("FAIL: %s has no section %r" % (page, title))
            return 1
    for spec in argv[1:]:
        lang, source = spec.split("=", 1)
        lines = [line.rstrip() for line in
                 open(source, encoding="utf-8").read().split("\n")]
        found = blocks(text, lang)
        if not found:
            print("FAIL: %s has no ```%s block" % (page, lang))
            failed += 1
        for n, block in enumerate(found, 1):
            start = 0
            for part in parts(block):
                after = find(lines, part, start)
                if after < 0:
                    print("FAIL: ```%s block %d of %s is not an excerpt of "
                          "%s (in this order): %s"
                          % (lang, n, page, source, closest(lines, part)))
                    failed += 1
                    break
                start = after
            else:
                print("ok: ```%s block %d is an excerpt of %s"
                      % (lang, n, source))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
