"""Turn one run's results into docs/benchmarks.md and benchmarks/last_run.json."""

from __future__ import annotations

import json

from .browser_side import HTML_ONLY, WITH_JQUERY
from .server_side import NOOP, SAVE_FLOOR


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}×" if theirs else "n/a"


def kb(value: float) -> str:
    return f"{value / 1000:.1f} kB"


def verdict(met: bool) -> str:
    return "met" if met else "**missed**"


MODE_NAMES = {"workbench": "workbench", "lms-like": "LMS-like"}


def header(results: dict) -> list[str]:
    checked = [f"  - {item}" for item in results["round_trip"]]
    return [
        "# Benchmarks: our XBlocks next to drag-and-drop-v2 and Poll",
        "",
        "Written by `make bench` (`benchmarks/run.py`); the raw numbers of the same run are in",
        "`benchmarks/last_run.json`. Everything runs on 127.0.0.1 in one run: the XBlock SDK runtime",
        "(`WorkbenchRuntime`, SQLite) with `xblock-drag-and-drop-v2` and `xblock-poll` installed only in",
        "`.venv-bench`, and Debian's Chromium driven by Playwright.",
        "",
        f"- **Machine:** {results['machine']}",
        f"- **Command:** `{results['command']}`, which runs `.venv-bench/bin/python -m benchmarks.run`",
        f"- **Date:** {results['date']}; the run took {results['elapsed']:.0f} s.",
        f"- Times are medians of bounded loops on {results.get('cores', '?')} CPU cores that other processes may share.",
        f"  Render and handler times are taken in {results.get('rounds', 1)} interleaved rounds, so a slower period",
        "  falls on every block alike. Absolute times vary between runs: between two runs on",
        "  this machine some medians moved by up to 2×, while every status stayed the same.",
        "  Compare the ratios of one run, not times from different runs.",
        "",
        "## Two field-data modes",
        "",
        "The SDK's key-value store (`WorkbenchDjangoKeyValueStore`, xblock-sdk 0.14) runs one SQLite",
        "`get_or_create` for every `has`, `get` and `set`. XBlock caches only mutable fields (List,",
        "Dict) on the block, so each read of a String, Integer or Boolean field costs two queries,",
        "and each saved field is its own row update. The LMS loads a learner's state for a block",
        "from one `StudentModule` row and writes that row back once per save. Blocks with more",
        "fields therefore look slower in the workbench than they would in the LMS. Every server-side",
        "measurement below runs twice, for every block, ours and the peers alike:",
        "",
        "- **workbench:** `WorkbenchRuntime` as shipped.",
        "- **LMS-like:** `LmsLikeRuntime` (`benchmarks/lms_like.py`), the same runtime with another",
        "  `field-data` service. The first access to a stored row (one scope of one block, per",
        "  learner where the scope is per learner) loads the whole row in one query. Each changed",
        "  row is written back in one query when the request's `handle` or `render` ends. Content,",
        "  settings, children and parent come from the modulestore in the LMS, which keeps them in",
        "  memory, so this mode reads their rows once per process and keeps them until a write through",
        "  it changes them. Learner rows and the shared `user_state_summary` are read on every request.",
        "",
        "Before the timings, the run checks that the LMS-like mode stores state correctly, and stops",
        "if a check fails. Each handler call runs in a new runtime, as a new request does, and the",
        "saved user_state must read back equal in the handler's block, in the stored row and in new",
        "blocks of both modes:",
        "",
        *checked,
        "",
    ]


def targets(results: dict) -> list[str]:
    render, handlers, sizes, slow = results["render"], results["handlers"], results["bytes"], results["slow"]
    lines = [
        "## Targets",
        "",
        "Server-side targets are judged in the LMS-like mode. The workbench line under each one is",
        "shown for reference and is not judged. Bytes do not depend on the mode, and the slow-3G time",
        "is measured against the preview server (`digital-skills preview`), which uses the",
        "workbench's store.",
        "",
        "| Target | Mode | Ours | Reference | Ratio | Status |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    dnd_total = sizes["drag-and-drop-v2"]["total"]["gzip"]
    for name in ("egov_simulation", "citizenship_quiz"):
        ours = sizes[name]["total"]["gzip"]
        lines.append(f"| download ≤ ¼ of drag-and-drop-v2 ({name}) | either | {kb(ours)} | {kb(dnd_total)} | "
                     f"{ratio(ours, dnd_total)} | {verdict(ours <= dnd_total / 4)} |")
    for name in ("egov_simulation", "citizenship_quiz"):
        for mode in ("lms-like", "workbench"):
            ours, peer = render[mode][name], render[mode]["poll"]
            status = verdict(ours <= peer) if mode == "lms-like" else "not judged"
            lines.append(f"| student_view render no slower than Poll ({name}) | {MODE_NAMES[mode]} | {ours:.1f} ms | "
                         f"{peer:.1f} ms | {ratio(ours, peer)} | {status} |")
    for name in ("egov_simulation submit_step", "citizenship_quiz submit"):
        for mode in ("lms-like", "workbench"):
            ours, floor = handlers[mode][name], handlers[mode][NOOP]
            status = verdict(ours <= 2 * floor) if mode == "lms-like" else "not judged"
            lines.append(f"| handler within 2× the no-op floor ({name}) | {MODE_NAMES[mode]} | {ours:.2f} ms | "
                         f"{floor:.2f} ms | {ratio(ours, floor)} | {status} |")
        ours, floor = handlers["lms-like"][name], handlers["lms-like"][SAVE_FLOOR]
        status = "within 2×" if ours <= 2 * floor else "over 2×"
        lines.append(f"| the same, against the one-field save handler ({name}) | LMS-like | {ours:.2f} ms | "
                     f"{floor:.2f} ms | {ratio(ours, floor)} | {status}, for reference |")
    usable = slow["egov_simulation"]["median"]
    lines.append(f"| simulation unit usable within 3 s on slow 3G, 4× CPU | workbench (preview) | {usable / 1000:.1f} s | "
                 f"3.0 s | {ratio(usable, 3000)} | {verdict(usable <= 3000)} |")
    return lines + [""]


BLOCK_NAMES = {"egov_simulation": "The simulation", "citizenship_quiz": "The quiz"}


def size_range(values: dict) -> tuple[str, str]:
    """Return the smallest and the largest content size of one growth row (JSON keys are strings)."""
    sizes = sorted(values, key=int)
    return sizes[0], sizes[-1]


def download_reasons(results: dict) -> list[str]:
    """Build the bullet on the download target: how much of drag-and-drop-v2's bytes are images."""
    sizes = results["bytes"]
    dnd = sizes["drag-and-drop-v2"]
    images = sum(item["gzip"] for item in dnd["file_list"] if item["kind"] == "image")
    without = dnd["total"]["gzip"] - images
    ours = {name: sizes[name]["total"]["gzip"] for name in ("egov_simulation", "citizenship_quiz")}
    lines = [
        f"- **Download ({ratio(ours['egov_simulation'], dnd['total']['gzip'])} and "
        f"{ratio(ours['citizenship_quiz'], dnd['total']['gzip'])} of drag-and-drop-v2).** "
        "Each block is measured as a new learner",
        "  first sees it, with its default content. drag-and-drop-v2's default content includes",
        f"  its background image, {kb(images)} gzip of its {kb(dnd['total']['gzip'])}.",
    ]
    if images:
        lines += [
            f"  Against its code, markup and styles alone ({kb(without)}), ours are "
            f"{ratio(ours['egov_simulation'], without)} and {ratio(ours['citizenship_quiz'], without)},",
        ]
        over = {name: value / (without / 4) - 1 for name, value in ours.items() if value > without / 4}
        if over:
            misses = " and ".join(f"{BLOCK_NAMES[name].lower()} by {value * 100:.0f}%" for name, value in over.items())
            lines.append(f"  so the margin depends on that image: without it, the target would be missed, {misses}.")
        else:
            lines.append("  so both blocks stay within ¼ even without that image.")
    return lines


def render_reasons(results: dict) -> list[str]:
    """Build the bullet that explains the render targets in the LMS-like mode, from this run's numbers."""
    render, queries, growth = results["render"], results["queries"], results["growth"]
    lms, bench = render["lms-like"], render["workbench"]
    counts = {mode: {name: queries[mode][f"{name} render"] for name in ("egov_simulation", "citizenship_quiz", "poll")}
              for mode in queries}
    lines = [
        f"- **Render (LMS-like: {ratio(lms['egov_simulation'], lms['poll'])} and "
        f"{ratio(lms['citizenship_quiz'], lms['poll'])} of Poll; workbench: "
        f"{ratio(bench['egov_simulation'], bench['poll'])} and {ratio(bench['citizenship_quiz'], bench['poll'])}).**",
        f"  In the workbench mode a render makes {counts['workbench']['egov_simulation']} SQL queries for the simulation, "
        f"{counts['workbench']['citizenship_quiz']} for",
        f"  the quiz and {counts['workbench']['poll']} for Poll. In the LMS-like mode it makes "
        f"{counts['lms-like']['egov_simulation']}, {counts['lms-like']['citizenship_quiz']} and "
        f"{counts['lms-like']['poll']}.",
    ]
    missed = {name: lms[name] / lms["poll"] - 1 for name in ("egov_simulation", "citizenship_quiz")
              if lms[name] > lms["poll"]}
    if not missed:
        lines.append("  Both blocks meet the target in the LMS-like mode.")
    for name, excess in missed.items():
        lines.append(f"  {BLOCK_NAMES[name]} misses the target by {excess * 100:.0f}% in the LMS-like mode.")
    sim = growth["lms-like"]["egov_simulation render"]
    low, high = size_range(sim)
    lines += [
        "  The simulation renders only the learner's current step; the handlers send the next one.",
        "  Its render time therefore changes little with the number of steps",
        f"  ({sim[low]:.1f} ms with {low} steps, {sim[high]:.1f} ms with {high}, LMS-like mode).",
    ]
    return lines


def handler_reasons(results: dict) -> list[str]:
    """Build the bullet that explains the handler targets in the LMS-like mode, from this run's numbers."""
    handlers, queries, growth = results["handlers"], results["queries"], results["growth"]
    lms, bench = handlers["lms-like"], handlers["workbench"]
    floor, save = lms[NOOP], lms[SAVE_FLOOR]
    step, submit, vote = (lms[name] for name in ("egov_simulation submit_step", "citizenship_quiz submit", "poll vote"))
    counts = {mode: {name: queries[mode][name] for name in (NOOP, SAVE_FLOOR, "egov_simulation submit_step",
                                                            "citizenship_quiz submit", "poll vote")}
              for mode in queries}
    lines = [
        f"- **Handlers (LMS-like: {ratio(step, floor)} and {ratio(submit, floor)} of the no-op floor).** The floor",
        f"  is an empty `json_handler` that reads and writes no field and makes {counts['lms-like'][NOOP]} SQL queries.",
        "  A handler that saves state reads the learner's row and writes it back. The smallest such",
        "  handler, which adds 1 to one Integer field, makes "
        f"{counts['lms-like'][SAVE_FLOOR]} queries and takes {save:.2f} ms, {ratio(save, floor)} of",
        "  the empty floor. No handler that saves state can come within 2× of the empty floor, so",
        "  the target stays missed as worded; the ratios to the one-field save handler show what",
        "  our handlers add to the save that any handler needs.",
        f"  Against the one-field save handler, the simulation's step is {ratio(step, save)}, the quiz's",
        f"  submission {ratio(submit, save)} and Poll's vote {ratio(vote, save)} (LMS-like mode).",
        f"  Against Poll's vote, ours are {ratio(step, vote)} (simulation step) and {ratio(submit, vote)} (quiz) in the",
        f"  LMS-like mode, and {ratio(bench['egov_simulation submit_step'], bench['poll vote'])} and "
        f"{ratio(bench['citizenship_quiz submit'], bench['poll vote'])} in the workbench mode.",
        f"  Queries per call, workbench / LMS-like: simulation step {counts['workbench']['egov_simulation submit_step']} / "
        f"{counts['lms-like']['egov_simulation submit_step']},",
        f"  quiz submission {counts['workbench']['citizenship_quiz submit']} / "
        f"{counts['lms-like']['citizenship_quiz submit']}, Poll's vote {counts['workbench']['poll vote']} / "
        f"{counts['lms-like']['poll vote']}.",
    ]
    if submit > 2 * save:
        quiz = growth["lms-like"]["citizenship_quiz submit"]
        low, high = size_range(quiz)
        lines += [
            "  The quiz's submission does more than one save. It also updates the question statistics",
            "  that all learners share, a second row that it reads and writes. It then returns the quiz's",
            "  HTML body, rendered again with every question's feedback, which the page shows at once.",
            "  Its time grows with the number of questions",
            f"  ({quiz[low]:.1f} ms with {low} questions, {quiz[high]:.1f} ms with {high}, LMS-like mode).",
        ]
    return lines


def slow_reasons(results: dict) -> list[str]:
    slow, sizes = results["slow"], results["bytes"]
    usable, page = slow["egov_simulation"]["median"], slow[HTML_ONLY]["median"]
    with_jquery = slow.get(WITH_JQUERY, {}).get("median")
    if usable <= 3000:
        lines = [f"- **Slow 3G ({usable / 1000:.1f} s, met).** The simulation unit is usable within 3 s."]
    else:
        lines = [f"- **Slow 3G ({usable / 1000:.1f} s, {(usable / 3000 - 1) * 100:.0f}% over).**"]
    lines += [
        "  The preview inlines the runtime's and the blocks' scripts and styles, so a unit needs one",
        f"  round trip. A unit with only an HTML component takes {page / 1000:.1f} s: one 2,000 ms round trip, the",
        "  transfer at 400 kbit/s and the page's work at a quarter of the CPU. The simulation unit adds",
        f"  {usable - page:.0f} ms for the block, about {kb(sizes['egov_simulation']['total']['gzip'])} gzip, "
        "and the preview's light XBlock runtime.",
    ]
    if with_jquery is not None:
        lines += [
            "  A unit whose XBlocks all come from this package gets that runtime in place of the",
            "  workbench's jQuery, jQuery Migrate, jquery.cookie and runtime file (about "
            f"{kb(sizes['drag-and-drop-v2']['runtime']['gzip'])} gzip);",
            f"  with the workbench's files the same unit takes {with_jquery / 1000:.1f} s.",
        ]
    lines += [
        "  An LMS page has its own runtime and caches it across pages, so this measures the preview",
        "  and our blocks, not the LMS.",
    ]
    return lines


def server_tables(results: dict) -> list[str]:
    render, handlers, queries, growth = results["render"], results["handlers"], results["queries"], results["growth"]
    lines = ["## student_view render time (server)", "",
             f"Median of {results.get('render_repeat', 200)} renders, each of a freshly loaded block for one learner",
             "who has rendered it once before. Ratios are \"workbench / LMS-like\".", "",
             "| Block | Workbench | LMS-like | vs drag-and-drop-v2 | vs Poll |", "| --- | --- | --- | --- | --- |"]
    for name in render["workbench"]:
        values = {mode: render[mode][name] for mode in render}
        versus = {peer: " / ".join(ratio(values[mode], render[mode][peer]) for mode in ("workbench", "lms-like"))
                  for peer in ("drag-and-drop-v2", "poll")}
        lines.append(f"| {name} | {values['workbench']:.1f} ms | {values['lms-like']:.1f} ms | "
                     f"{versus['drag-and-drop-v2']} | {versus['poll']} |")

    lines += ["", "## Handler time (server)", "",
              f"Median of {results.get('handler_repeat', 100)} calls, through `runtime.handle` (JSON in, JSON out, "
              "state saved). Each call is a",
              "new learner's first call of that handler. The quiz's learners first fetch their drawn questions",
              "with the `user_state` handler. Ratios are \"workbench / LMS-like\".", "",
              "| Handler | Workbench | LMS-like | vs no-op | vs one-field save | vs Poll vote |",
              "| --- | --- | --- | --- | --- | --- |"]
    for name in handlers["workbench"]:
        values = {mode: handlers[mode][name] for mode in handlers}
        versus = {other: " / ".join(ratio(values[mode], handlers[mode][other]) for mode in ("workbench", "lms-like"))
                  for other in (NOOP, SAVE_FLOOR, "poll vote")}
        lines.append(f"| {name} | {values['workbench']:.2f} ms | {values['lms-like']:.2f} ms | "
                     f"{versus[NOOP]} | {versus[SAVE_FLOOR]} | {versus['poll vote']} |")

    lines += ["", "## SQL queries per call", "",
              "Queries of one call, counted with Django's `CaptureQueriesContext`: a learner's second render,",
              "and a new learner's first call of each handler, as in the timed loops.", "",
              "| Call | Workbench | LMS-like |", "| --- | --- | --- |"]
    for name in queries["workbench"]:
        lines.append(f"| {name} | {queries['workbench'][name]} | {queries['lms-like'][name]} |")

    first = next(iter(growth["workbench"].values()))
    lines += ["", "## Growth with the size of the content", "",
              "Generated simulations (a login, then trap steps) and quizzes (single-choice questions, all drawn).",
              "Each column is the number of steps or questions.", "",
              "| Measure | Mode | " + " | ".join(str(size) for size in first) + " |",
              "| --- | --- |" + " --- |" * len(first)]
    for name in growth["workbench"]:
        for mode in ("workbench", "lms-like"):
            lines.append(f"| {name} | {MODE_NAMES[mode]} | "
                         + " | ".join(f"{value:.1f} ms" for value in growth[mode][name].values()) + " |")
    return lines + [""]


def browser_tables(results: dict) -> list[str]:
    sizes, slow = results["bytes"], results["slow"]
    dnd_total, poll_total = sizes["drag-and-drop-v2"]["total"]["gzip"], sizes["poll"]["total"]["gzip"]
    lines = ["## Bytes a learner downloads for the block (Chromium, empty cache)", "",
             "The unit page of each block minus the page of the HTML-only unit. The runtime's own files",
             "(`/static/workbench/`, `/static/preview/`) are not counted. These pages come from a preview",
             "started with `DIGITAL_SKILLS_PREVIEW_INLINE=0`, so that every file is its own response.",
             "Our blocks put their JavaScript and CSS in the page itself, so for them it is all in \"HTML\".", "",
             "| Block | HTML (gzip) | Own files (gzip) | Total gzip | Total raw | vs drag-and-drop-v2 | vs Poll |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for name in ("egov_simulation", "citizenship_quiz", "drag-and-drop-v2", "poll"):
        item = sizes[name]
        lines.append(f"| {name} | {kb(item['html']['gzip'])} | {kb(item['files']['gzip'])} | "
                     f"{kb(item['total']['gzip'])} | {kb(item['total']['raw'])} | "
                     f"{ratio(item['total']['gzip'], dnd_total)} | {ratio(item['total']['gzip'], poll_total)} |")
    lines.append(f"| ({HTML_ONLY}, the floor) | | | {kb(sizes[HTML_ONLY]['total']['gzip'])} | "
                 f"{kb(sizes[HTML_ONLY]['total']['raw'])} | | |")

    lines += ["", "## Time until the simulation unit is usable (slow 3G, 4× CPU slowdown)", "",
              "Chrome DevTools' \"Slow 3G\" conditions through CDP (`Network.emulateNetworkConditions`: 2,000 ms",
              "round trip, 400 kbit/s each way) and `Emulation.setCPUThrottlingRate` 4, cache disabled. Usable",
              "means the block's JavaScript has marked the current step. Milliseconds from navigation start.",
              "The last row serves the same unit with the workbench's jQuery runtime",
              "(`DIGITAL_SKILLS_PREVIEW_LIGHT_RUNTIME=0`).", "",
              "| Page | Median | Min | Max |", "| --- | --- | --- | --- |"]
    for name, value in slow.items():
        lines.append(f"| {name} | {value['median']:.0f} ms | {value['min']:.0f} ms | {value['max']:.0f} ms |")
    return lines + [""]


def markdown(results: dict) -> str:
    """Return docs/benchmarks.md for one run's ``results`` (the structure run.py builds)."""
    state, curriculum = results["state"], results["curriculum"]
    lines = header(results) + targets(results)
    lines += ["## Where each target stands, and why", ""]
    lines += download_reasons(results) + render_reasons(results) + handler_reasons(results) + slow_reasons(results)
    lines += [""]
    lines += server_tables(results) + browser_tables(results)

    lines += ["## Stored learner state after a full attempt", "",
              "Bytes of the JSON the runtime stores for one learner (user_state scope, workbench mode).", "",
              "| Block | Bytes |", "| --- | --- |"]
    for name, value in state.items():
        lines.append(f"| {name} | {value} |")

    lines += ["", "## Validating and packing the whole curriculum", "",
              f"{curriculum['courses']} courses, each through the `digital-skills` command in a new process.", "",
              "| Command | Seconds |", "| --- | --- |",
              f"| validate (all courses) | {curriculum['validate']:.1f} |",
              f"| pack (all courses) | {curriculum['pack']:.1f} |", ""]
    return "\n".join(lines) + "\n"


def as_json(results: dict) -> str:
    return json.dumps(results, ensure_ascii=False, indent=1, default=str) + "\n"
