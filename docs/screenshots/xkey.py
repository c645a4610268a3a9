# Sends one key chord to the focused X window through XTest: xkey.py ctrl+r
import ctypes, sys, time
x11 = ctypes.CDLL("libX11.so.6"); xtst = ctypes.CDLL("libXtst.so.6")
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XStringToKeysym.restype = ctypes.c_ulong
x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
x11.XFlush.argtypes = [ctypes.c_void_p]
d = x11.XOpenDisplay(None)
names = {"ctrl": "Control_L", "shift": "Shift_L", "alt": "Alt_L"}
keys = [x11.XKeysymToKeycode(d, x11.XStringToKeysym(names.get(k, k).encode())) for k in sys.argv[1].split("+")]
for k in keys: xtst.XTestFakeKeyEvent(d, k, 1, 0)
for k in reversed(keys): xtst.XTestFakeKeyEvent(d, k, 0, 0)
x11.XFlush(d); time.sleep(0.2)
