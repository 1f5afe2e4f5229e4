"""Facts extracted from a parsed policy: what the graph stores and what answers cite.

Every fact carries the measure it came from (or None for document-level facts such as the preamble's
goals) and its character span in the policy's cleaned text, so an answer can quote it exactly.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from corpus.model import Policy


@dataclass
class Span:
    measure_id: str | None
    start: int
    end: int
    quote: str  # the sentence (or block) the fact was read from


@dataclass
class DepartmentRef:
    """A department named in the text, resolved to one canonical body of one city."""

    mention: str  # as written: 市经济信息化委
    canonical: str  # 上海市经济和信息化委员会
    city: str | None  # 上海; None for national bodies
    id: str  # stable key: city + canonical
    kind: str = "市级部门"  # 市级部门 / 区 / 管委会 / 中央部门 / 其他
    role: str = "responsible"  # responsible | lead | co-lead | participant (负责 / 牵头 / 共同牵头 / 配合) | issuer
    span: Span | None = None
    known: bool = True  # False: not in the lexicon, kept under its written name


@dataclass
class Target:
    text: str  # the clause: 培育 100 家开源商业化企业
    metric: str  # 开源商业化企业数量
    value: float
    unit: str  # 家 / 个 / 万人 / EFLOPS / % / 亿元
    comparator: str = "="  # 超过 / 以上 / 不少于 / 力争 / 突破 / = ...
    year: int | None = None
    value_max: float | None = None  # for ranges: 1—2 个
    topics: list[str] = field(default_factory=list)
    span: Span | None = None
    per_year: bool = False  # 每年发掘不少于 50 个: a yearly rate, not a total by `year`


@dataclass
class DateFact:
    kind: str  # deadline | effective | expiry | period | issued | published
    text: str  # as written: 2024年底前
    date: str | None = None  # ISO date where it resolves to one (2024-12-31)
    date_end: str | None = None  # for periods
    span: Span | None = None


@dataclass
class Support:
    kind: str  # 补贴 / 奖励 / 税收优惠 / 基金 / 绿色通道 / 场地 / 服务 / 政策支持 / 人才政策 ...
    text: str  # the sentence offering it
    amount: str | None = None  # as written: 适当额度
    rate: str | None = None  # 最高 10%
    cap: str | None = None
    condition: str | None = None  # 经评估; 纳入本市统筹调度
    beneficiaries: list[str] = field(default_factory=list)  # 企业 / 高校 / 科研机构 / 开发者 / 人才 ...
    topics: list[str] = field(default_factory=list)
    deadline: str | None = None
    span: Span | None = None
    applicants: list[str] = field(default_factory=list)  # who applies: 企业 / 个人 / 家庭 / 人才 …
    objects: list[str] = field(default_factory=list)  # what is supported: 项目 / 产品 / 平台
    amounts: list[str] = field(default_factory=list)  # every amount and rate as written (tiers, caps)
    amount_values: list[float] = field(default_factory=list)  # the money amounts in 元 (jionlp), same order
    window: str | None = None  # when one applies, as written: 每年3月左右申报, 期满后一年内申请
    tiers: list[str] = field(default_factory=list)  # each tier with its amount: 3A级：50万元, A类：每月5000元
    condition_spans: list[Span] = field(default_factory=list)  # conditions written apart (申请条件 section, a list)


@dataclass
class Mention:
    """A region, organisation or topic named in a measure."""

    kind: str  # region | organisation | topic
    name: str  # canonical name
    mention: str  # as written
    span: Span | None = None


@dataclass
class PolicyFacts:
    """Everything the graph stores for one policy."""

    policy: Policy
    city: str | None
    issuers: list[DepartmentRef] = field(default_factory=list)
    departments: dict[str, list[DepartmentRef]] = field(default_factory=dict)  # measure id -> refs
    targets: list[Target] = field(default_factory=list)
    dates: list[DateFact] = field(default_factory=list)
    supports: dict[str, list[Support]] = field(default_factory=dict)  # measure id -> items
    mentions: dict[str, list[Mention]] = field(default_factory=dict)  # measure id -> mentions
    unresolved: list[str] = field(default_factory=list)  # names in 责任单位 blocks that are no body

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("policy")
        d["policy_id"] = self.policy.id
        return d
