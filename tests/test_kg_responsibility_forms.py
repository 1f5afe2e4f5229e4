"""Forms of responsibility beyond the labelled block: a task list's closing bracket of organs the
lexicon does not know, 按照职责分工分别负责 after a list, and the agent of a passive clause (由A、B+verb)."""

from __future__ import annotations

from genre import packaged as packaged_genre
from kg.extract.departments import parse_block
from kg.extract.responsibility import agent_mentions, bracket_blocks

TASKS = ("规范发展在线旅游预订市场，推动旅游在线服务模式创新。（旅游局、工商总局）"
         "研究制定7天无理由退货实施细则，促进网络购物消费健康快速发展。（工商总局）")


def _brackets(text: str) -> list[str]:
    return [text[b.start:b.end] for b in bracket_blocks(text, 0, None, [], packaged_genre())]


def test_a_closing_bracket_of_organs_is_a_block_even_when_the_lexicon_knows_none():
    assert _brackets(TASKS) == ["旅游局、工商总局", "工商总局"]
    assert _brackets("加强物流配送车辆管理。（地方各级人民政府）") == ["地方各级人民政府"]


def test_a_bracket_inside_a_sentence_or_of_no_organ_is_no_block():
    # an alternative name written after a body, a heading's gloss, a scope: none assigns a task
    assert _brackets("向户籍所在地街道办事处（镇人民政府）申报。") == []
    assert _brackets("完善配套设施。（试验区）") == []


def test_by_their_duties_in_full_form_trails_a_list_without_naming_a_body():
    refs = parse_block("发展改革委、财政部、商务部、质检总局等部门按照职责分工分别负责", None)
    assert [r.mention for r in refs] == ["发展改革委", "财政部", "商务部", "质检总局"]


def _agents(text: str, city: str = "成都") -> list[tuple[str, str]]:
    return [(m.name, m.role) for m in agent_mentions(text, 0, city, packaged_genre())]


def test_the_agent_of_a_passive_clause_with_any_verb_is_responsible():
    assert _agents("符合条件的高层次人才，购房需求由市委组织部、市住建局对接保障。") == [
        ("市委组织部", "responsible"), ("市住建局", "responsible")]
    assert _agents("由省自然资源厅审核。", "合肥") == [("省自然资源厅", "responsible")]


def test_a_preposition_ends_the_agent():
    assert _agents("由市住建局在项目取得预售许可后组织登记。") == [("市住建局", "responsible")]
    assert _agents("由数据主管部门自申请单位提交之日起5个工作日内完成。") == [("数据主管部门", "responsible")]


def test_who_approved_a_thing_or_a_role_is_no_agent():
    assert _agents("由市政府批准设立的机构可以申请。") == []
    assert _agents("由申请人自行承担。") == []
    assert _agents("由于资金紧张，暂缓实施。") == []


def test_a_preposition_of_basis_after_the_agent_opens_no_relative_clause():
    """由市住房城乡建设局结合国家和省的有关规定，…细化…退出机制: the 的 belongs to what 结合 takes (国家和省的有关
    规定), and the body is who refines the mechanism; 由市政府按规定批准的项目 is still who approved a thing."""
    assert _agents("对于不再符合保障条件的，由市住房城乡建设局结合国家和省的有关规定，以及住房保障工作的实际情况，"
                   "细化公共租赁住房保障退出机制。", "广州") == [("市住房城乡建设局", "responsible")]
    assert _agents("由市财政局按照国家的有关规定拨付资金。", "广州") == [("市财政局", "responsible")]
    assert _agents("由市政府按规定批准的项目可以申请。", "广州") == []
    assert _agents("由市政府根据需要批准的项目可以申请。", "广州") == []


def test_an_agent_run_that_swallowed_its_verb_or_joins_two_names_is_no_body():
    assert _agents("由高新区组织相关部门在土地出让前完成评估。", "安康") == []
    assert _agents("由用人单位或主管部门按程序遴选。", "广州") == []
    # a place before a noun qualifies it: the enterprises act, not the district
    assert _agents("由新片区行业代表性企业自主评定。", "上海") == []


def test_a_bracket_with_a_label_the_genre_does_not_know_is_no_organ_list():
    assert _brackets("支持企业建设开源社区。（督办单位：市科委）") == []


def test_a_working_group_named_after_its_organ_is_the_organ_not_organ_and_topic():
    """A city's evaluation rules: 由市政府办公室数字政府专班予以核实 — the 专班 of 市政府办公室; 市政府办公室数字政府
    is no body (the grammar would make it 数字人民政府)."""
    assert _agents("考核分值由市政府办公室数字政府专班予以核实。", "包头") == [("市政府办公室", "responsible")]
    assert _agents("申报材料由省科技厅人工智能工作组统一审核。", "合肥") == [("省科技厅", "responsible")]
    assert _agents("项目清单由市发展改革委专班汇总审核。", "成都") == [("市发展改革委", "responsible")]


def test_peoples_organisations_in_a_block_are_bodies():
    """工商联, 贸促会, 红十字会, 妇联, 科协, 总工会: task lists assign them work as they do 局 and 委."""
    refs = parse_block("省人力资源社会保障厅、省总工会、团省委、省妇联、省工商联、省科协、省贸促会、省红十字会", "安徽")
    assert [r.mention for r in refs] == ["省人力资源社会保障厅", "省总工会", "团省委", "省妇联", "省工商联", "省科协",
                                         "省贸促会", "省红十字会"]


def test_the_body_interpreting_a_document_is_not_responsible_for_its_measures():
    from kg.extract.responsibility import running_mentions

    said = running_mentions("本意见由县旅游产业发展领导小组负责解释，自2030年1月1日起执行。", 0, None, packaged_genre())
    assert said == []
    assert running_mentions("由县旅游产业发展领导小组负责统筹推进。", 0, None, packaged_genre())


def test_a_list_of_bodies_opening_a_sentence_with_a_modal_carries_the_measure():
    """A closing 组织保障 paragraph: 县住建局、县财政局、县自然资源局要按照职责分工… names all three; a list of
    roles (各运营单位、申请人应…) names no body."""
    from kg.extract.responsibility import subject_mentions

    said = subject_mentions("县住建局、县财政局、县自然资源局要按照职责分工，密切配合，抓好政策落实。", 0, "通化",
                            packaged_genre())
    assert [m.name for m in said] == ["县住建局", "县财政局", "县自然资源局"]
    assert subject_mentions("各运营单位、申请人应当如实提供材料。", 0, "通化", packaged_genre()) == []


def test_a_verb_joining_two_bodies_splits_the_name_at_it():
    # the first body reports, the second only approves: the first alone carries the measure
    assert _agents("由市交通局报经交通运输部批准后实施。") == [("市交通局", "responsible")]
    assert _agents("由市民政局报请市政府同意后公布。") == [("市民政局", "responsible")]
    # the second acts with the first: both are named, the first leads (由A商B: A consults B)
    assert _agents("由市财政局商市发展改革委确定分配方案。") == [("市财政局", "lead"),
                                                      ("市发展改革委", "participant")]
    refs = parse_block("市财政局商市发展改革委", "成都")
    assert [(r.mention, r.role) for r in refs] == [("市财政局", "responsible"), ("市发展改革委", "participant")]
    refs = parse_block("市水务局报经水利部", "成都")
    assert [r.mention for r in refs] == ["市水务局"]


def test_a_body_whose_name_holds_a_joining_verb_is_not_split():
    # 商 inside a name is no verb: neither side of it is a whole body
    assert [r.mention for r in parse_block("市商务局", "成都")] == ["市商务局"]
    assert [r.mention for r in parse_block("市委商务工作委员会", "成都")] == ["市委商务工作委员会"]
    assert [r.mention for r in parse_block("市商业联合会", "成都")] == ["市商业联合会"]


def test_a_name_never_ends_inside_a_verb_that_begins_with_a_body_suffix():
    assert _agents("由市文旅局委托第三方机构开展评估。") == [("市文旅局", "responsible")]
    assert _agents("由市农业农村局部署各区开展排查。") == [("市农业农村局", "responsible")]


def _running(text: str, city: str = "武汉") -> list[tuple[str, str]]:
    from kg.extract.responsibility import running_mentions

    return [(m.name, m.role) for m in running_mentions(text, 0, city, packaged_genre())]


def test_running_text_carries_the_roles_of_the_genre():
    """由A牵头、B配合 / A牵头，B参与 / 由A会同B负责 / A、B共同牵头 / 由A商B / A负责 / 各区政府按分工负责:
    the role words are the genre data's (blocks.yaml verbs and running_verbs, the department grammar's
    together verbs), the roles those of a block written the same way."""
    assert _running("由市发展改革委牵头，市财政局配合。") == [("市发展改革委", "lead"), ("市财政局", "participant")]
    assert _running("由市发展改革委牵头、市财政局配合。") == [("市发展改革委", "lead"), ("市财政局", "participant")]
    assert _running("市发展改革委牵头，市财政局、市科技局参与。") == [
        ("市发展改革委", "lead"), ("市财政局", "participant"), ("市科技局", "participant")]
    assert _running("由市发展改革委牵头，市财政局协助。") == [("市发展改革委", "lead"), ("市财政局", "participant")]
    assert _running("由市发展改革委会同市财政局负责。") == [("市发展改革委", "lead"), ("市财政局", "participant")]
    assert _running("市科技局、市教育局共同牵头，建立联席会议制度。") == [("市科技局", "co-lead"), ("市教育局", "co-lead")]
    assert _running("市科技局、市教育局联合牵头。") == [("市科技局", "co-lead"), ("市教育局", "co-lead")]
    assert _running("由市财政局商市发展改革委确定分配方案。") == [("市财政局", "lead"), ("市发展改革委", "participant")]
    assert _running("由区科技局联合区教育局组织评审。") == [("区科技局", "lead"), ("区教育局", "participant")]
    assert _running("市教育局协同市人社局推进。") == [("市教育局", "lead"), ("市人社局", "participant")]
    assert _running("由市科技局牵头，市财政局协同。") == [("市科技局", "lead"), ("市财政局", "participant")]
    assert _running("市科技局负责。") == [("市科技局", "responsible")]
    assert _running("各县人民政府按照职责分工负责落实。") == [("各县人民政府", "responsible")]


def test_a_joining_verb_needs_a_body_after_it_except_convene():
    """商 and 联合 are verbs only with a body after them (联合发布, 市商务局); 会同 is one whatever follows
    (会同有关部门, 会同发展改革、规划等部门): its subject leads."""
    assert _running("市科技局、市教育局联合发布指南。") == []
    assert _running("市商务局负责统筹。") == [("市商务局", "responsible")]
    assert _running("市住房城乡建设局应会同发展改革、规划和自然资源等部门制定建设计划。") == [("市住房城乡建设局", "lead")]
    assert _running("由北京市科学技术委员会会同园区运营单位组织实施。", "北京") == [("北京市科学技术委员会", "lead")]


def test_a_role_from_running_text_reaches_the_responsible_relationship_with_its_evidence(policy_from_text):
    """The RESPONSIBLE row the graph writer makes carries the role and the span of the name as written."""
    from kg.extract import extract
    from kg.writer import write_statements

    policy = policy_from_text("关于推进数据要素发展的若干措施\n\n一、重点任务\n\n"
                              "（一）建设数据交易平台。由市发展改革委牵头、市财政局配合，建设数据交易平台。\n", city="武汉")
    facts = extract(policy, genre=packaged_genre())
    rows = next(s.rows for s in write_statements([facts], genre=packaged_genre()) if s.name == "responsible")
    got = {policy.text[r["props"]["start"]:r["props"]["end"]]: r["role"] for r in rows}
    assert got == {"市发展改革委": "lead", "市财政局": "participant"}


def test_a_bare_level_shares_the_body_name_after_it():
    """市、区住房保障部门 / 市、区人民政府: regulations name the competent body of both levels at once; the
    bare level is that body at its own level (in a block and in running text), never a clause run on."""
    assert [r.mention for r in parse_block("市、区住房保障部门", "广州")] == ["市住房保障部门", "区住房保障部门"]
    assert _running("市、区人民政府负责建立资金保障机制。", "广州") == [("市人民政府", "responsible"),
                                                         ("区人民政府", "responsible")]
    from kg.extract.departments import shared_level

    assert shared_level("市", "区住房保障部门可以委托市或区", packaged_genre()) is None
    assert shared_level("市", "县（区）政府", packaged_genre()) is None
    assert shared_level("市场", "区住房保障部门", packaged_genre()) is None


def test_places_listed_before_a_government_share_it_whether_or_not_the_lexicon_knows_them():
    """西湖区、滨江区人民政府 is two district governments in any city (and with no city at all); a
    development zone's committee the same; only places of the last one's level share its suffix."""
    from kg.extract.departments import shared_suffix

    assert [r.canonical for r in parse_block("西湖区、滨江区人民政府", "杭州")] == ["西湖区人民政府", "滨江区人民政府"]
    assert [r.canonical for r in parse_block("鼓楼区、台江区、仓山区人民政府", None)] == [
        "鼓楼区人民政府", "台江区人民政府", "仓山区人民政府"]
    assert [r.canonical for r in parse_block("高新区、经开区管委会", None)] == ["高新区管委会", "经开区管委会"]
    assert shared_suffix("区住房保障部门", "市人民政府") is None  # a body, not a place
    assert shared_suffix("某县", "某区人民政府") is None  # another level
    assert shared_suffix("各区人民政府", "各区人民政府") is None


def test_a_body_opening_a_sentence_counts_beside_a_verb_of_responsibility_elsewhere(policy_from_text):
    """An article whose first sentence's subject acts with a modal and whose next sentence convenes other
    bodies (市、区住房保障部门应当…。住房保障部门可会同民政部门…): every body of the article, each its role."""
    from kg.extract import extract

    policy = policy_from_text("某市数据管理办法\n\n第一条 市数据局应当加强数据安全监管。市财政局可会同市审计局开展专项检查。\n",
                              city="武汉")
    facts = extract(policy, genre=packaged_genre())
    got = {r.mention: r.role for refs in facts.departments.values() for r in refs}
    assert got == {"市数据局": "responsible", "市财政局": "lead", "市审计局": "participant"}
