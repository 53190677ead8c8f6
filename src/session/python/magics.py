"""Kiln's line magics, the same in the kernel and the REPL: %ir, %asm, %types, %bytecode,
%annotate, %time, %timeit, %compare, %kiln, %lsmagic.

transform() turns each `%name args` line of a cell into a call to
_kiln_magic("name", "args"), which the session installs in builtins: the
magic then runs in the user's namespace, USER_NS, given by init().
Runs after report.py, in the same namespace.
"""
import ast
import dis
import html
import math
import os
import re
import statistics
import time
import timeit

USER_NS = {}
MAGICS = {}
_VARIANTS = {}  # (py_func, "object" | "nopython") -> the dispatcher %compare made


class UsageError(Exception):
    """A magic was used wrongly: the message says how to use it."""


def init(user_ns):
    global USER_NS
    USER_NS = user_ns


def magic(usage):
    """Registers the function as the magic of its name (a trailing _ dropped), with its usage."""
    def register(fn):
        fn.usage = usage
        MAGICS[fn.__name__.rstrip("_")] = fn
        return fn
    return register


# ---- turning magic lines into calls ----

def _scan(line, depth, quote):
    """Bracket depth and open string quote after line, given those before it."""
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\":
                i += 1
            elif line.startswith(quote, i):
                i += len(quote) - 1
                quote = None
        elif c == "#":
            break
        elif c in "'\"":
            quote = line[i:i + 3] if line[i:i + 3] in ("'''", '"""') else c
            i += len(quote) - 1
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth = max(depth - 1, 0)
        i += 1
    if quote in ("'", '"'):
        quote = None  # an unterminated one-line string: a syntax error Python will report
    return depth, quote


def transform(source):
    """source with each line magic at the start of a statement made a call; same line count."""
    out, depth, quote = [], 0, None
    for line in source.splitlines(keepends=True):
        stripped = line.lstrip(" \t")
        if depth == 0 and quote is None and stripped.startswith("%") and not stripped.startswith("%%"):
            indent = line[:len(line) - len(stripped)]
            text = stripped.rstrip("\r\n")
            name, _, rest = text[1:].partition(" ")
            newline = stripped[len(text):]
            out.append(f"{indent}_kiln_magic({name!r}, {rest.strip()!r}){newline}")
            continue
        depth, quote = _scan(line, depth, quote)
        out.append(line)
    return "".join(out)


def run_magic(name, line):
    fn = MAGICS.get(name)
    if fn is None:
        raise UsageError(f"Line magic function `%{name}` not found. %lsmagic lists the magics.")
    return fn(line)


# ---- what the magics share ----

def _kiln():
    import kiln

    return kiln


def _evaluate(text, what):
    try:
        return eval(text, USER_NS)
    except Exception as e:
        raise UsageError(f"{what}: cannot evaluate {text!r}: {type(e).__name__}: {e}") from None


def _dispatcher(text, magic_name):
    if not text:
        raise UsageError(f"usage: {MAGICS[magic_name].usage}")
    f = _evaluate(text, f"%{magic_name}")
    if not isinstance(f, _kiln().Dispatcher):
        raise UsageError(f"%{magic_name} needs a function decorated with kiln.jit or kiln.njit; "
                         f"{text} is {type(f).__name__}")
    return f


def _normal(signature):
    return signature.replace(" ", "").strip("()")


def _specialization(f, signature, with_asm=False):
    """The describe dict of f's specialization for signature (text), or of its only one."""
    specs = _kiln()._specializations(f, asm=with_asm)
    name = f.py_func.__qualname__
    if not specs:
        raise UsageError(f"{name} has not been compiled yet: call it once, or give it a signature")
    if not signature:
        if len(specs) > 1:
            raise UsageError(f"{name} has {len(specs)} specializations; name one: "
                             + "; ".join(e["args"] for e in specs))
        return specs[0]
    want = _normal(signature)
    for e in specs:
        if want in (_normal(e["args"]), _normal(e["signature"])):
            return e
    raise UsageError(f"{name} has no specialization for {signature}; it has: "
                     + "; ".join(e["args"] for e in specs))


def _split_target(line):
    """'f int64, float64 --raw' -> ('f', 'int64, float64', {'--raw'})"""
    words = line.split()
    flags = {w for w in words if w.startswith("--")}
    rest = [w for w in words if not w.startswith("--")]
    return (rest[0] if rest else ""), " ".join(rest[1:]), flags


def _show(bundle):
    display(bundle, raw=True)  # noqa: F821 - the session's builtin


# ---- the magics ----

@magic("%lsmagic")
def lsmagic(line):
    """Lists the magics."""
    names = sorted(MAGICS)
    lines = ["Available line magics:", "  ".join(f"%{n}" for n in names), ""]
    lines += [f"  {MAGICS[n].usage:<44} {MAGICS[n].__doc__.strip().splitlines()[0]}" for n in names]
    print("\n".join(lines))


@magic("%ir f [signature] [--raw]")
def ir(line):
    """The LLVM IR of a specialization: optimized, or before optimization with --raw."""
    target, signature, flags = _split_target(line)
    e = _specialization(_dispatcher(target, "ir"), signature)
    _show(code_bundle(e["ir_raw" if "--raw" in flags else "ir"] or "", "llvm"))  # noqa: F821


@magic("%asm f [signature]")
def asm(line):
    """The machine code of a specialization, as assembly."""
    target, signature, _ = _split_target(line)
    e = _specialization(_dispatcher(target, "asm"), signature, with_asm=True)
    _show(code_bundle(e["asm"] or "", "asm"))  # noqa: F821


@magic("%types f")
def types(line):
    """The function's source with the type of each variable (inspect_types)."""
    _dispatcher(line.strip(), "types").inspect_types()


@magic("%bytecode f")
def bytecode(line):
    """CPython's bytecode of the function (dis), for comparison with what Kiln made."""
    f = _evaluate(line.strip(), "%bytecode") if line.strip() else None
    if f is None:
        raise UsageError(f"usage: {bytecode.usage}")
    dis.dis(getattr(f, "py_func", f))


@magic("%kiln report off|summary|full")
def kiln(line):
    """Chooses the report shown after a cell that compiled something."""
    global REPORT
    words = line.split()
    if not words:
        print(f"report: {REPORT}")  # noqa: F821
        return
    if len(words) != 2 or words[0] != "report" or words[1] not in ("off", "summary", "full"):
        raise UsageError(f"usage: {kiln.usage}")
    REPORT = words[1]


# ---- timing ----

def format_time(seconds, precision=3):
    """IPython's: 1.23 ms, 45.6 µs, 789 ns, 2.5 s."""
    if seconds >= 60.0:
        minutes, s = divmod(seconds, 60.0)
        return f"{int(minutes)}min {s:.{precision}g} s"
    units, scaling = ["s", "ms", "\u00b5s", "ns"], [1, 1e3, 1e6, 1e9]
    order = min(-int(math.floor(math.log10(seconds)) // 3), 3) if seconds > 0.0 else 3
    return f"{seconds * scaling[order]:.{precision}g} {units[order]}"


def _compiled(text, name):
    """(code, is_expression) of a statement typed after a magic."""
    try:
        return compile(text, name, "eval"), True
    except SyntaxError:
        return compile(text, name, "exec"), False


@magic("%time statement")
def time_(line):
    """Runs the statement once and says how long it took (CPU and wall)."""
    if not line.strip():
        raise UsageError(f"usage: {time_.usage}")
    code, is_expression = _compiled(line, "<timed exec>")
    before, start = os.times(), time.perf_counter()
    value = eval(code, USER_NS) if is_expression else exec(code, USER_NS)
    wall, after = time.perf_counter() - start, os.times()
    user, system = after.user - before.user, after.system - before.system
    print(f"CPU times: user {format_time(user)}, sys: {format_time(system)}, "
          f"total: {format_time(user + system)}")
    print(f"Wall time: {format_time(wall)}")
    return value


def autorange(timer, least=0.2):
    """Loops per run, as IPython picks them: the first power of 10 that takes least seconds."""
    for power in range(10):
        number = 10 ** power
        if timer.timeit(number) >= least:
            return number
    return number


def _timeit_options(line):
    words, number, repeat = line.split(), None, 7
    while len(words) >= 2 and words[0] in ("-n", "-r"):
        try:
            value = int(words[1])
        except ValueError:
            raise UsageError(f"usage: {timeit_.usage}") from None
        if words[0] == "-n":
            number = value
        else:
            repeat = value
        words = words[2:]
    if not words or number == 0 or repeat <= 0:
        raise UsageError(f"usage: {timeit_.usage}")
    return " ".join(words), number, repeat


@magic("%timeit [-n N] [-r R] statement")
def timeit_(line):
    """Times the statement as IPython's %timeit does: R runs of N loops, mean and spread."""
    statement, number, repeat = _timeit_options(line)
    timer = timeit.Timer(statement, globals=USER_NS)
    number = number or autorange(timer)
    per_loop = [t / number for t in timer.repeat(repeat, number)]
    spread = statistics.pstdev(per_loop) if len(per_loop) > 1 else 0.0
    runs, loops = ("run" if repeat == 1 else "runs"), ("loop" if number == 1 else "loops")
    print(f"{format_time(statistics.mean(per_loop))} \u00b1 {format_time(spread)} per loop "
          f"(mean \u00b1 std. dev. of {repeat} {runs}, {number} {loops} each)")


# ---- %compare ----

def _call_parts(line):
    try:
        tree = ast.parse(line.strip(), mode="eval")
    except SyntaxError:
        tree = None
    if tree is None or not isinstance(tree.body, ast.Call):
        raise UsageError(f"usage: {compare.usage}")
    call = tree.body

    def value(node):
        return eval(compile(ast.Expression(node), "<compare>", "eval"), USER_NS)

    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        raise UsageError("%compare takes plain arguments: no *args or **kwargs")
    return (value(call.func), [value(a) for a in call.args],
            {k.arg: value(k.value) for k in call.keywords})


def _variant(f, mode):
    """f's function compiled in mode ("object" or "nopython"): f itself when it is a nopython
    dispatcher, else one made once per function, which the per-cell report leaves out (the
    comparison shows its compile time)."""
    k = _kiln()
    if mode == "nopython" and isinstance(f, k.Dispatcher) and \
            all(e["mode"] == "nopython" for e in k._specializations(f)):
        return f
    py_func = getattr(f, "py_func", f)
    key = (py_func, mode)
    if key not in _VARIANTS:
        _VARIANTS[key] = k.jit(forceobj=True)(py_func) if mode == "object" else k.njit(py_func)
        HIDDEN.append(_VARIANTS[key])  # noqa: F821 - report.py's
    return _VARIANTS[key]


def _run_compiled(f, args, kwargs, mode):
    """(result, compile seconds) of the first call; UsageError if it compiled in another mode."""
    before = len(_kiln()._specializations(f))
    result = f(*args, **kwargs)
    made = _kiln()._specializations(f)[before:]
    if made and made[-1]["mode"] != mode:
        raise UsageError(f"compiled in {made[-1]['mode']} mode, not {mode}")
    return result, sum(e["stages"]["total"] for e in made)


def _best_time(f, args, kwargs):
    timer = timeit.Timer(lambda: f(*args, **kwargs))
    number = autorange(timer, 0.1)
    return min(timer.repeat(3, number)) / number


def _same(a, b):
    try:
        import numpy as np

        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            a, b = np.asarray(a), np.asarray(b)
            return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    except ImportError:
        pass
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and len(a) == len(b):
        return all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def _compare_rows(f, args, kwargs):
    py_func = getattr(f, "py_func", f)
    rows = []
    plain = py_func(*args, **kwargs)
    rows.append({"mode": "plain Python", "compile": None, "run": _best_time(py_func, args, kwargs),
                 "result": plain})
    for mode, label in (("object", "object mode"), ("nopython", "nopython")):
        row = {"mode": label, "compile": None, "run": None, "result": None}
        try:
            g = _variant(f, mode)
            row["result"], row["compile"] = _run_compiled(g, args, kwargs, mode)
            row["run"] = _best_time(g, args, kwargs)
        except Exception as e:  # noqa: BLE001 - a mode that fails is a row that says why
            row["error"] = f"{type(e).__name__}: {e}".splitlines()[0]
        rows.append(row)
    for row in rows[1:]:
        row["agrees"] = "error" not in row and _same(row["result"], plain)
    return rows


def _speedup(row, plain):
    return plain / row["run"] if row.get("run") else None


def _compare_text(rows):
    plain = rows[0]["run"]
    lines = [f"{'mode':<14}{'compile':>12}{'run':>12}{'speedup':>10}"]
    longest = max(r["run"] or 0 for r in rows)
    for r in rows:
        if "error" in r:
            lines.append(f"{r['mode']:<14}  not available: {r['error']}")
            continue
        compile_time = format_time(r["compile"]) if r["compile"] else "-"
        bar = "#" * max(1, round(40 * r["run"] / longest)) if longest else ""
        lines.append(f"{r['mode']:<14}{compile_time:>12}{format_time(r['run']):>12}"
                     f"{_speedup(r, plain):>9.1f}x  {bar}")
    return "\n".join(lines)


def _compare_svg(rows):
    """Horizontal bars of run time per mode: inline SVG, no plotting library needed."""
    ok = [r for r in rows if r.get("run")]
    longest = max(r["run"] for r in ok)
    height, width, label = 26, 300, 110
    bars = []
    for i, r in enumerate(ok):
        w = max(1.0, width * r["run"] / longest)
        y = i * height
        bars.append(f'<text x="0" y="{y + 17}" font-size="12">{html.escape(r["mode"])}</text>'
                    f'<rect x="{label}" y="{y + 4}" width="{w:.1f}" height="18" fill="#e8a33d"/>'
                    f'<text x="{label + w + 6:.1f}" y="{y + 17}" font-size="12">{format_time(r["run"])}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{label + width + 90}" '
            f'height="{height * len(ok) + 4}">{"".join(bars)}</svg>')


def _compare_html(rows):
    plain = rows[0]["run"]
    cells = []
    for r in rows:
        if "error" in r:
            cells.append(f"<tr><td>{r['mode']}</td><td colspan=\"3\">not available: "
                         f"{html.escape(r['error'])}</td></tr>")
            continue
        compile_time = format_time(r["compile"]) if r["compile"] else "-"
        cells.append(f"<tr><td>{r['mode']}</td><td>{compile_time}</td><td>{format_time(r['run'])}</td>"
                     f"<td>{_speedup(r, plain):.1f}x</td></tr>")
    table = ("<table><tr><th>mode</th><th>compile</th><th>run</th><th>speedup</th></tr>"
             f"{''.join(cells)}</table>")
    return f"<div class=\"kiln-compare\">{table}{_compare_svg(rows)}</div>"


@magic("%compare f(args)")
def compare(line):
    """Runs f as plain Python, in object mode and in nopython mode on the same arguments,
    checks that the results agree, and compares compile and run times."""
    f, args, kwargs = _call_parts(line)
    rows = _compare_rows(f, args, kwargs)
    differ = [r["mode"] for r in rows[1:] if "error" not in r and not r["agrees"]]
    verdict = (f"results differ from plain Python: {', '.join(differ)}" if differ
               else "the results agree")
    _show({"text/plain": _compare_text(rows) + "\n" + verdict,
           "text/html": _compare_html(rows) + f"<p>{html.escape(verdict)}</p>"})
    return None


# ---- %annotate ----

_LOCATION = re.compile(r"^!(\d+) = (?:distinct )?!DILocation\(line: (\d+)", re.M)
_DEBUG = re.compile(r"!dbg !(\d+)")
_API_CALL = re.compile(r"\b(?:call|invoke)\b.*@(_?Py[A-Za-z0-9_]*)\(")


def ir_by_line(ir_text):
    """{source line: [IR instructions]} from the debug locations of the IR."""
    lines_of = {int(m.group(1)): int(m.group(2)) for m in _LOCATION.finditer(ir_text)}
    by_line = {}
    for text in ir_text.splitlines():
        m = _DEBUG.search(text)
        if m and not text.lstrip().startswith("!") and int(m.group(1)) in lines_of:
            by_line.setdefault(lines_of[int(m.group(1))], []).append(text.strip())
    return by_line


def api_calls(instructions):
    return sum(1 for text in instructions if _API_CALL.search(text))


def _shade(count):
    """White for no Python C API call; deeper yellow for more, as cython -a shades."""
    if count == 0:
        return "#ffffff"
    level = min(count, 8)
    return f"hsl(55, 100%, {92 - level * 5}%)"


def annotate_bundle(py_func, entry):
    import inspect

    source, first = inspect.getsourcelines(py_func)
    by_line = ir_by_line(entry["ir_raw"] or "")
    rows, plain = [], []
    for i, text in enumerate(source):
        number, code = first + i, text.rstrip("\n")
        instructions = by_line.get(number, [])
        calls = api_calls(instructions)
        marker = "+" * min(calls, 9) if calls else ""
        plain.append(f"{marker:>9} {number:4d}  {code}")
        body = html.escape("\n".join(instructions)) or "(no IR)"
        rows.append(f'<details style="background:{_shade(calls)};margin:0"><summary><code>'
                    f'{number:4d} {html.escape(code)}</code> <small>{calls} C API call'
                    f'{"" if calls == 1 else "s"}</small></summary><pre>{body}</pre></details>')
    head = (f"{entry['name']}({entry['args']}), {entry['mode']} mode: each line shaded by the Python "
            "C API calls its code makes; click a line for its IR")
    return {"text/plain": f"{head}\n" + "\n".join(plain),
            "text/html": f"<div class=\"kiln-annotate\"><p>{html.escape(head)}</p>{''.join(rows)}</div>"}


@magic("%annotate f [signature]")
def annotate(line):
    """The source of f, each line shaded by its Python C API calls, with its IR (as cython -a)."""
    target, signature, _ = _split_target(line)
    f = _dispatcher(target, "annotate")
    _show(annotate_bundle(f.py_func, _specialization(f, signature)))
