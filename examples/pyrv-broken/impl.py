#!/usr/bin/env python3
"""pyrv-broken: examples/pyrv/impl.py with one deliberate bug, to show what a failing check reports.

THE BUG: DIV by zero returns 0 instead of -1 (all ones), contrary to ISA-M-DIV.
Everything else is the correct interpreter, imported from ../pyrv.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pyrv"))
import impl  # noqa: E402  (the correct interpreter)

_correct = impl.Hart.muldiv


def _broken(f3, a, b):
    if f3 == 4 and b == 0:
        return 0  # THE BUG: the M chapter says all ones
    return _correct(f3, a, b)


impl.Hart.muldiv = staticmethod(_broken)

if __name__ == "__main__":
    try:
        impl.main()
    except impl.Unsupported as e:
        sys.stderr.write("pyrv: unsupported: %s\n" % e)
        sys.exit(3)
