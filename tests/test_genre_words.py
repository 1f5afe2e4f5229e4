"""One part-of-speech tagger per process, loaded once and only through genre.words, for extraction and
answering alike: extraction's tagging (whether a 的 closes a relative clause) must not import jieba's
tagger on its own while answering loads it, which reads the tokenizer's dictionary through a moment's
patch (genre.words.pos_tagger)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PASSIVE = "对于不再符合保障条件的，由市住房城乡建设局结合国家和省的有关规定，细化退出机制。"


def _run(code: str) -> dict:
    script = f"import json, sys\nout = {{}}\n{code}\nprint(json.dumps(out))\n"
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_extraction_tags_with_the_shared_tagger_not_jiebas_own_table():
    """A standalone ingest reaching the relative-clause check loads the tagger's memory-mapped table
    (genre.words), not jieba's own 350,000-line tag column (a second of Python per process), and the
    answering modules later in the process find it loaded."""
    got = _run(f"""
import genre.words
from kg.extract.responsibility import _relative_clause
text = {PASSIVE!r}
k = text.index("结合")
out["relative"] = _relative_clause(text, k, len(text))
out["ready"] = bool(genre.words._POS_READY)
import jieba.posseg
out["table"] = type(jieba.posseg.dt.word_tag_tab).__name__
""")
    assert got == {"relative": False, "ready": True, "table": "WordTags"}


def test_extraction_and_answering_tag_alike_when_they_load_the_tagger_at_once():
    """Threads of one process (the app ingests while it answers) first tagging at the same moment,
    extraction in some, answering in others, all get the full table and the same tags."""
    got = _run(f"""
import threading
from kg.extract.responsibility import _relative_clause
from rag.tokenize import pos_tagger
import genre
text = {PASSIVE!r}
k = text.index("结合")
start = threading.Barrier(6)
results = {{"kg": [], "rag": []}}
def extraction():
    start.wait()
    results["kg"].append(_relative_clause(text, k, len(text)))
def answering():
    start.wait()
    results["rag"].append([tuple(p) for p in pos_tagger(genre.packaged()).lcut(text)])
threads = [threading.Thread(target=f) for f in (extraction, answering) * 3]
for t in threads:
    t.start()
for t in threads:
    t.join(120)
out["alive"] = sum(t.is_alive() for t in threads)
out["kg"] = results["kg"]
out["same_tags"] = len({{json.dumps(r, ensure_ascii=False) for r in results["rag"]}}) == 1
out["tags"] = len(pos_tagger().word_tag_tab)
""")
    assert got["alive"] == 0
    assert got["kg"] == [False, False, False]
    assert got["same_tags"] and got["tags"] > 300_000
