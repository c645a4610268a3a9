#!/usr/bin/env python3
"""Carries finished translations from an older catalogue into a refreshed one.

When a message moves to another context (a class renamed or moved into a namespace, a helper now
declaring its class's context), lupdate files it as a new, unfinished message and drops the old one.
Run this after `cmake --build build --target update_translations` with the catalogue as it was before:

    git show HEAD:translations/keyway_de.ts > /tmp/old_de.ts
    cmake --build build --target update_translations
    translations/carry_translations.py /tmp/old_de.ts translations/keyway_de.ts
    cmake --build build --target update_translations   # lupdate's own formatting again

An unfinished message takes the translation of a finished message with the same source text,
disambiguation and plural-ness, preferring an old context with the same class name
(MainWindow -> keyway::ui::MainWindow). Messages without such a twin stay unfinished.
"""

import sys
import xml.etree.ElementTree as ET


def key(message):
    source = message.findtext("source") or ""
    comment = message.findtext("comment") or ""
    return (source, comment, message.get("numerus") == "yes")


def short(context_name):
    return context_name.rsplit("::", 1)[-1]


def finished(message):
    translation = message.find("translation")
    return translation is not None and translation.get("type") is None


def main(old_path, new_path):
    old = ET.parse(old_path)
    done = {}
    for context in old.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            if finished(message):
                done.setdefault(key(message), []).append((name, message.find("translation")))

    new = ET.parse(new_path)
    carried = left = 0
    for context in new.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") != "unfinished":
                continue
            candidates = done.get(key(message), [])
            if not candidates:
                left += 1
                continue
            best = next((t for n, t in candidates if n == name), None)
            best = best or next((t for n, t in candidates if short(n) == short(name)), None)
            best = best or candidates[0][1]
            message.remove(translation)
            copy = ET.fromstring(ET.tostring(best))
            copy.tail = translation.tail
            message.append(copy)
            carried += 1

    with open(new_path, "wb") as out:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        new.write(out, encoding="utf-8", xml_declaration=False)
    print(f"{new_path}: carried {carried} translations, {left} messages still unfinished")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: carry_translations.py OLD.ts NEW.ts")
    main(sys.argv[1], sys.argv[2])
