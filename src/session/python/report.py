"""What Kiln shows of compiled code: IR and assembly highlighted, and the per-cell report.

The session runs this file, then magics.py, in one namespace of its own
(src/session/tools.c). Everything here returns mime bundles: text/plain for
the terminal (ANSI colours when COLOR is set), text/html for notebooks.
"""
import html

COLOR = False  # the front end is a terminal that shows ANSI colours
REPORT = "summary"  # the per-cell report: "off", "summary" or "full"
HIDDEN = []  # dispatchers whose compilations the report leaves out (made by a magic)
LEXERS = {"llvm": "LlvmLexer", "asm": "GasLexer", "python": "PythonLexer"}
DETAILED = 8  # the report shows IR and assembly of this many specializations; the rest as rows
LONGEST = 4000  # lines: longer texts are shown without highlighting, which would take seconds


def _lexer(language):
    try:
        import pygments.lexers
    except ImportError:
        return None
    return getattr(pygments.lexers, LEXERS[language])()


def highlight_html(text, language):
    """text as a <pre> block, highlighted with Pygments' inline styles when it is importable."""
    lexer = _lexer(language) if text.count("\n") < LONGEST else None
    if lexer is None:
        return f"<pre>{html.escape(text)}</pre>"
    import pygments
    from pygments.formatters import HtmlFormatter

    return pygments.highlight(text, lexer, HtmlFormatter(noclasses=True, nowrap=False))


def highlight_text(text, language):
    """text for the terminal: with ANSI colours when COLOR is set and Pygments is importable."""
    lexer = _lexer(language) if COLOR and text.count("\n") < LONGEST else None
    if lexer is None:
        return text
    import pygments
    from pygments.formatters import TerminalFormatter

    return pygments.highlight(text, lexer, TerminalFormatter()).rstrip("\n")


def code_bundle(text, language):
    return {"text/plain": highlight_text(text, language), "text/html": highlight_html(text, language)}


def milliseconds(seconds):
    return f"{seconds * 1e3:.1f} ms"


STAGES = [("parse", "parse"), ("infer", "infer"), ("lower", "lower"), ("optimize", "optimize"),
          ("machine_code", "machine code"), ("total", "total")]


def summary_line(entry):
    """`compiled f(int64, float64) nopython in 14.2 ms`: one specialization, for the terminal."""
    return f"compiled {entry['name']}({entry['args']}) {entry['mode']} in {milliseconds(entry['stages']['total'])}"


def _stage_cells(entry, tag):
    return "".join(f"<{tag}>{milliseconds(entry['stages'][key])}</{tag}>" for key, _ in STAGES)


def _sections(entry, open_them):
    parts = []
    for key, title, language in (("ir", "LLVM IR (optimized)", "llvm"),
                                 ("ir_raw", "LLVM IR before optimization", "llvm"),
                                 ("asm", "assembly", "asm")):
        if entry.get(key):
            state = " open" if open_them else ""
            parts.append(f"<details{state}><summary>{title}</summary>{highlight_html(entry[key], language)}"
                         "</details>")
    return "".join(parts)


def report_bundle(entries, mode=None):
    """The report of the specializations a cell compiled (describe dicts), or None when it
    shows nothing: mode "off", or nothing compiled."""
    mode = mode or REPORT
    entries = [e for e in entries if not any(e["dispatcher"] is d for d in HIDDEN)]
    if mode == "off" or not entries:
        return None
    plain = [summary_line(e) for e in entries]
    if mode == "full":
        for e in entries[:DETAILED]:
            plain.append(f"--- {e['name']}({e['args']}): optimized LLVM IR")
            plain.append(highlight_text(e["ir"] or "", "llvm"))
    head = "".join(f"<th>{title}</th>" for _, title in STAGES)
    rows = []
    for e in entries:
        rows.append(f"<tr><td><code>{html.escape(e['name'])}</code></td><td><code>{html.escape(e['args'])}"
                    f"</code></td><td>{e['mode']}</td>{_stage_cells(e, 'td')}</tr>")
    details = "".join(f"<details{' open' if mode == 'full' else ''}><summary><code>{html.escape(e['name'])}"
                      f"({html.escape(e['args'])})</code></summary>{_sections(e, mode == 'full')}</details>"
                      for e in entries[:DETAILED])
    if len(entries) > DETAILED:
        details += (f"<p>IR and assembly of the other {len(entries) - DETAILED}: "
                    "<code>%ir f signature</code>, <code>%asm f signature</code></p>")
    table = (f"<table><tr><th>function</th><th>arguments</th><th>mode</th>{head}</tr>{''.join(rows)}</table>")
    return {"text/plain": "\n".join(plain),
            "text/html": f"<div class=\"kiln-report\"><b>Kiln compiled</b>{table}{details}</div>"}
