"""A synthetic corpus of municipal policy documents, for scale benchmarks and parser tests.

Every document is built from the genre described in eval/data/synth_vocab.yaml (cities and their real
departments with short forms, topics, numbering styles, run-in titles, 责任单位 blocks, targets,
support clauses, deadlines, validity provisions, extraction damage) and is clearly marked synthetic:
a `synthetic: true` front matter key and a 【合成测试文本】 line. Document i depends only on (seed, i),
so a corpus of 100 is the first 100 documents of a corpus of 1,000. Each document carries its own
ground truth (measure numbers, titles, departments, targets) so tests and benchmarks can check
what the parser and the graph recover.

    paths = generate(100, Path("/tmp/synth"), seed=7)
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

VOCAB_PATH = Path(__file__).with_name("data") / "synth_vocab.yaml"
MARKER = "【合成测试文本】"

# Document sizes: (number of measures) ranges, and the default share of each in a corpus.
SIZES: dict[str, tuple[int, int]] = {"short": (4, 6), "medium": (8, 14), "long": (18, 30)}
DEFAULT_MIX: dict[str, float] = {"short": 0.3, "medium": 0.5, "long": 0.2}

# Numbering styles seen in the genre (see module docstring of corpus/ for the grammar):
#   paren:        一、 section / （一）Title。body (measures numbered across sections)
#   paren_arabic: 一、 section / （一）sub-section on its own line / 1.Title。body
#   bold:         一、 section / 1. **Title。**body
#   articles:     第一章 chapter / 第一条 Title。body
STYLES: tuple[str, ...] = ("paren", "paren_arabic", "bold", "articles")

CN_DIGITS = "零一二三四五六七八九"


@dataclass
class SynthMeasure:
    """What a parser should find for one generated measure."""

    number: str  # as written: （三） / 3. / 第五条
    title: str  # the run-in title, without its closing 。
    departments: list[str] = field(default_factory=list)  # short forms as written in the block
    canonical: list[str] = field(default_factory=list)  # the same bodies, canonical names
    label: str | None = None  # 责任单位 / 牵头单位 / 责任部门; None when the measure has no block
    supports: list[str] = field(default_factory=list)  # support kinds offered


@dataclass
class SynthTarget:
    metric: str
    value: int
    unit: str
    year: int


@dataclass
class SynthDocument:
    index: int
    filename: str
    text: str
    encoding: str
    city: str
    topic: str
    title: str
    doc_no: str
    issuer: str
    style: str
    size: str
    measures: list[SynthMeasure]
    targets: list[SynthTarget]


@dataclass
class SynthQuestion:
    """A question about a synthetic document, with what a correct answer must contain."""

    question: str
    intent: str  # departments | support | targets
    expected: list[str]  # canonical departments, support kinds, or the target value
    filename: str
    source: dict = field(default_factory=dict)  # {"doc_no", "measure"} of the answering clause, if one
    as_written: list[str] = field(default_factory=list)  # departments as the block writes them


@lru_cache(maxsize=1)
def vocab() -> dict:
    """The genre vocabulary, loaded once."""
    return yaml.safe_load(VOCAB_PATH.read_text(encoding="utf-8"))


# -- numbers and dates ---------------------------------------------------------------------------

def cn_number(n: int) -> str:
    """1..99 as Chinese numerals: 十一, 二十, 三十五."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


def cn_date(year: int, month: int, day: int) -> str:
    return f"{year}年{month}月{day}日"


def metric_kind(unit: str) -> str:
    """Which target phrasing fits a unit: counts (家/个), people (万人), or scale (亿元/%/EFLOPS)."""
    if "人" in unit:
        return "people"
    return "count" if unit in {"个", "家", "条", "万家"} else "scale"


# -- the document builder -------------------------------------------------------------------------

class _Builder:
    """Builds one document from a seeded random generator; keeps the ground truth as it writes."""

    def __init__(self, seed: int, index: int, size: str) -> None:
        self.rng = random.Random(f"policykg-synth:{seed}:{index}")
        self.index = index
        self.size = size
        v = vocab()
        self.city = self.rng.choice(sorted(v["cities"]))
        self.cv = v["cities"][self.city]
        self.topic = self.rng.choice(v["topics"])
        self.style = self.rng.choice(STYLES)
        self.half_width = self.rng.random() < 0.25  # (一) and , : as in some published files
        self.year = self.rng.randint(2020, 2025)
        self.lead = self.rng.choice(self.cv["departments"][:3])
        self.measures: list[SynthMeasure] = []
        self.targets: list[SynthTarget] = []
        self.page = 1

    # small helpers
    def p(self, s: str) -> str:
        """Half-width punctuation in documents extracted that way."""
        if not self.half_width:
            return s
        return s.replace("（", "(").replace("）", ")").replace("：", ":").replace("，", ",")

    def fill(self, template: str, **extra: object) -> str:
        rng = self.rng
        values = {
            "topic": self.topic["name"], "field": self.topic["field"], "city": self.city,
            "district": rng.choice(self.cv["districts"]), "beneficiary": rng.choice(vocab()["beneficiaries"]),
            "rate": rng.choice([5, 10, 15, 20, 30, 50]), "amount": rng.choice([50, 100, 200, 300, 500, 1000]),
            "condition": rng.choice(vocab()["conditions"]), "year": self.year + rng.randint(1, 3),
            "month": rng.randint(1, 12),
        }
        values.update(extra)
        return template.format(**values)

    def damage(self, text: str, rate: float) -> str:
        """Break a line mid-word, as PDF extraction does, with probability `rate`."""
        if len(text) < 6 or self.rng.random() >= rate:
            return text
        cut = self.rng.randint(2, len(text) - 2)
        if not (text[cut - 1].isalnum() and text[cut].isalnum()):
            return text
        return text[:cut] + self.rng.choice(["\n", "\n\n"]) + text[cut:]

    def page_break(self) -> str:
        self.page += 1
        return self.rng.choice([f"\n\n— {self.page} —\n\n", "\n\f\n", f"\n\n- {self.page} -\n\n"])

    # parts
    def doc_no(self) -> str:
        prefix = self.cv["gov_prefix"] if self.rng.random() < 0.4 else self.lead["prefix"]
        return f"{prefix}〔{self.year}〕{self.index + 1}号"

    def title(self) -> tuple[str, str]:
        v = vocab()
        genre = self.rng.choice(v["genres"])
        period = f"{self.year}-{self.year + 2}"
        t = genre["title"].format(city=self.city, field=self.topic["field"], period=period,
                                  verb=self.rng.choice(v["title_verbs"]))
        return t.replace(f"{self.city}市市", f"{self.city}市"), genre["kind"]

    def measure_title(self, unique: bool = False) -> str:
        """Verb + object; measure titles are unique within a document (as in real ones)."""
        used = {m.title for m in self.measures}
        for _ in range(50):
            title = self.rng.choice(vocab()["measure_verbs"]) + self.rng.choice(self.topic["objects"])
            if not unique or title not in used:
                return title
        return title + f"（{cn_number(len(used) % 99 + 1)}）"

    def departments(self) -> list[dict]:
        k = self.rng.choices([1, 2, 3, 4], weights=[4, 4, 2, 1])[0]
        pool = [self.lead] + [d for d in self.cv["departments"] if d is not self.lead]
        chosen = [self.lead] if self.rng.random() < 0.7 else []
        chosen += self.rng.sample(pool[1:], k - len(chosen))
        if self.rng.random() < 0.2:
            district = self.rng.choice(self.cv["districts"])
            short = district + ("政府" if self.rng.random() < 0.5 else "")
            chosen.append({"canonical": f"{self.city}市{district}人民政府", "short": short})
        if self.rng.random() < 0.1:
            zone = self.rng.choice(self.cv["zones"])
            chosen.append({"canonical": zone, "short": zone})
        return chosen

    def support_clause(self, m: SynthMeasure) -> str:
        item = self.rng.choice(vocab()["support"])
        m.supports.append(item["kind"])
        return self.fill(self.rng.choice(item["templates"]))

    def target_clause(self, metric: dict | None = None) -> str:
        metric = metric or self.rng.choice(self.topic["metrics"])
        value = self.rng.randint(*metric["range"])
        year = self.year + self.rng.randint(2, 5)
        self.targets.append(SynthTarget(metric["metric"], value, metric["unit"], year))
        phrasing = vocab()["targets"][metric_kind(metric["unit"])]
        text = self.rng.choice(phrasing).format(n=value, unit=metric["unit"], metric=metric["metric"])
        return f"到{year}年，{text}。"

    def body(self, m: SynthMeasure) -> str:
        rng = self.rng
        sentences = [self.fill(s) for s in rng.sample(vocab()["body_sentences"], rng.randint(2, 4))]
        if rng.random() < 0.45:
            sentences.insert(rng.randint(0, len(sentences)), self.support_clause(m))
        if rng.random() < 0.2:
            sentences.append(self.fill(rng.choice(vocab()["deadlines"])))
        if rng.random() < 0.1:
            sentences.append(self.target_clause())
        return self.p("".join(self.damage(s, 0.08) for s in sentences))

    def responsibility(self, m: SynthMeasure) -> str:
        depts = self.departments()
        m.departments = [self.p(d["short"]) for d in depts]
        m.canonical = [d["canonical"] for d in depts]
        m.label = self.rng.choice(vocab()["responsibility_labels"])
        names = "、".join(self.damage(d["short"], 0.15) for d in depts)
        block = self.p(f"（{m.label}：{names}）")
        gap = self.rng.random()
        if gap < 0.08:
            return self.page_break() + block
        if gap < 0.18:
            return "\n\n" + block
        return block

    def measure(self, number: str, bold: bool = False, with_block: bool = True) -> str:
        m = SynthMeasure(number=number, title=self.measure_title(unique=True))
        self.measures.append(m)
        head = f"**{m.title}。**" if bold else f"{m.title}。"
        text = f"{self.p(number)}{head}{self.body(m)}"
        if with_block and self.rng.random() < 0.85:
            text += self.responsibility(m)
        return text

    def goals(self) -> str:
        v = vocab()
        intro = self.fill(self.rng.choice(v["body_sentences"]))
        metrics = self.rng.sample(self.topic["metrics"], min(len(self.topic["metrics"]), self.rng.randint(2, 4)))
        clauses = [self.target_clause(m).rstrip("。") for m in metrics]
        if self.rng.random() < 0.5:
            return intro + "\n\n" + "\n\n".join(f"——{c}。" for c in clauses)
        return intro + "，".join(clauses) + "。"

    def sections_plan(self, n_measures: int) -> list[int]:
        """How many measures each numbered section holds."""
        n_sections = max(2, min(6, n_measures // 3))
        counts = [1] * n_sections
        for _ in range(n_measures - n_sections):
            counts[self.rng.randrange(n_sections)] += 1
        return counts

    def split(self, count: int) -> list[int]:
        """Measures per sub-section: one or two sub-sections under a section."""
        if count < 2 or self.rng.random() < 0.4:
            return [count]
        first = self.rng.randint(1, count - 1)
        return [first, count - first]

    def main_text(self, n_measures: int) -> str:
        v = vocab()
        plan = self.sections_plan(n_measures)
        parts: list[str] = []
        goal_title = self.rng.choice(v["goal_titles"])
        titles = self.rng.sample(v["section_titles"], len(plan))
        counter = 0
        if self.style == "articles":
            parts.append(f"第一章 总则\n\n第一条 为推动{self.topic['field']}高质量发展，结合本市实际，制定本办法。")
            counter = 1
            for ci, (title, count) in enumerate(zip(titles, plan, strict=True), start=2):
                parts.append(f"第{cn_number(ci)}章 {title.format(topic=self.topic['name'])}")
                for _ in range(count):
                    counter += 1
                    parts.append(self.measure(f"第{cn_number(counter)}条 "))
            return "\n\n".join(parts)
        parts.append(f"一、{goal_title}\n\n{self.goals()}")
        for si, (title, count) in enumerate(zip(titles, plan, strict=True), start=2):
            parts.append(f"{cn_number(si)}、{title.format(topic=self.topic['name'])}")
            if self.style == "paren_arabic":
                for sub, sub_count in enumerate(self.split(count), start=1):
                    parts.append(self.p(f"（{cn_number(sub)}）{self.measure_title()}"))
                    for _ in range(sub_count):
                        counter += 1
                        parts.append(self.measure(f"{counter}."))
                continue
            for _ in range(count):
                counter += 1
                if self.style == "paren":
                    parts.append(self.measure(f"（{cn_number(counter)}）"))
                else:
                    parts.append(self.measure(f"{counter}. ", bold=True))
        return "\n\n".join(parts)

    def closing(self, issued: tuple[int, int, int], kind: str) -> str:
        y, mo, d = issued
        template = self.rng.choice(vocab()["validity"])
        return template.format(kind=kind, date=cn_date(y, mo, d), end=cn_date(y + self.rng.choice([2, 3, 5]), 12, 31),
                               years=self.rng.choice([2, 3, 5]), issuer_short=self.lead["short"])

    def header(self, title: str, doc_no: str, issuer: str, issued: tuple[int, int, int]) -> str:
        if self.rng.random() < 0.5:
            return f"# {title}\n\n"
        return (f"{issuer}文件\n\n{doc_no}\n\n{issuer}关于印发《{title}》的通知\n\n"
                f"各区人民政府，市政府各委、办、局：\n\n《{title}》已经市政府同意，现印发给你们，"
                f"请认真按照执行。\n\n{issuer}\n\n{cn_date(*issued)}\n\n（此件公开发布）\n\n{title}\n\n")

    def build(self, n_measures: int) -> SynthDocument:
        title, kind = self.title()
        doc_no = self.doc_no()
        issuer = self.cv["office"] if doc_no.startswith(self.cv["gov_prefix"]) else self.lead["canonical"]
        issued = (self.year, self.rng.randint(1, 12), self.rng.randint(1, 28))
        front = (f"---\nname: {title}\n发文字号: {doc_no}\n发布机构: {issuer}\n"
                 f"成文日期: {issued[0]:04d}-{issued[1]:02d}-{issued[2]:02d}\nsynthetic: true\n---\n\n")
        preamble = (f"为深入贯彻国家关于{self.topic['field']}发展的决策部署，加快推动本市{self.topic['field']}"
                    f"高质量发展，结合本市实际，制定本{kind}。")
        body = self.main_text(n_measures)
        text = (front + MARKER + "\n\n" + self.header(title, doc_no, issuer, issued) + preamble + "\n\n"
                + body + "\n\n" + self.closing(issued, kind) + "\n")
        encoding = "gb18030" if self.rng.random() < 0.05 else "utf-8"
        suffix = ".md" if self.style == "bold" else ".txt"
        return SynthDocument(
            index=self.index, filename=f"synth_{self.index:05d}{suffix}", text=text, encoding=encoding,
            city=self.city, topic=self.topic["name"], title=title, doc_no=doc_no, issuer=issuer,
            style=self.style, size=self.size, measures=self.measures, targets=self.targets)


# -- public API ------------------------------------------------------------------------------------

def size_of(index: int, seed: int = 0, mix: dict[str, float] | None = None) -> str:
    """The size class of document `index`: drawn from `mix` (shares of short/medium/long)."""
    mix = mix or DEFAULT_MIX
    rng = random.Random(f"policykg-synth-size:{seed}:{index}")
    names = sorted(mix)
    return rng.choices(names, weights=[mix[k] for k in names])[0]


def length_mix(n: int, seed: int = 0, mix: dict[str, float] | None = None) -> dict[str, int]:
    """How many short, medium and long documents a corpus of n holds."""
    counts = dict.fromkeys(mix or DEFAULT_MIX, 0)
    for i in range(n):
        counts[size_of(i, seed, mix)] += 1
    return counts


def document(index: int, seed: int = 0, size: str | None = None,
             mix: dict[str, float] | None = None) -> SynthDocument:
    """Document `index` of the corpus for `seed`; same arguments, same document."""
    size = size or size_of(index, seed, mix)
    builder = _Builder(seed, index, size)
    lo, hi = SIZES[size]
    return builder.build(builder.rng.randint(lo, hi))


def documents(n: int, seed: int = 0, mix: dict[str, float] | None = None) -> Iterator[SynthDocument]:
    """The first n documents, with a mix of lengths."""
    for i in range(n):
        yield document(i, seed, mix=mix)


def write(doc: SynthDocument, out_dir: Path) -> Path:
    path = out_dir / doc.filename
    path.write_bytes(doc.text.encode(doc.encoding))
    return path


def generate(n: int, out_dir: Path, seed: int = 0, mix: dict[str, float] | None = None) -> list[Path]:
    """Write n synthetic policy files into out_dir (created if needed); return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [write(doc, out_dir) for doc in documents(n, seed, mix)]


def questions(docs: Sequence[SynthDocument], k: int, seed: int = 0) -> list[SynthQuestion]:
    """k questions about the given documents (departments, support, targets), deterministic."""
    rng = random.Random(f"policykg-synth-questions:{seed}")
    out: list[SynthQuestion] = []
    candidates = [d for d in docs if d.measures]
    for _ in range(k * 4):
        if len(out) >= k or not candidates:
            break
        doc = rng.choice(candidates)
        q = _question(doc, rng)
        if q is not None:
            out.append(q)
    return out


def _question(doc: SynthDocument, rng: random.Random) -> SynthQuestion | None:
    kind = rng.choice(["departments", "departments", "support", "targets"])
    if kind == "departments":
        m = rng.choice(doc.measures)
        if not m.canonical:
            return None
        return SynthQuestion(f"《{doc.title}》（{doc.doc_no}）中“{m.title}”由哪些部门负责？", kind,
                             m.canonical, doc.filename,
                             source={"doc_no": doc.doc_no, "measure": m.number.strip()}, as_written=m.departments)
    if kind == "support":
        kinds = sorted({s for m in doc.measures for s in m.supports})
        if not kinds:
            return None
        k = rng.choice(kinds)
        return SynthQuestion(f"{doc.city}对{doc.topic}企业有哪些{k}政策？", kind, [k], doc.filename)
    if not doc.targets:
        return None
    t = rng.choice(doc.targets)
    return SynthQuestion(f"{doc.city}到{t.year}年{t.metric}的目标是多少？", kind,
                         [f"{t.value}"], doc.filename)
