"""Support offered, one item per offering clause, on sentences written here."""

from __future__ import annotations

import pytest

from genre import packaged as packaged_genre
from kg.extract.support import beneficiaries_of, extract_support, kind_of, offer_groups

DOC = """示范市促进人工智能产业发展若干措施

一、主要任务

（一）{title}。{body}（责任单位：市经济信息化委）
"""


def supports(policy_from_text, body: str, title: str = "加大支持力度"):
    policy = policy_from_text(DOC.format(title=title, body=body))
    items = [s for v in extract_support(policy, genre=packaged_genre()).values() for s in v]
    return policy, items


def test_two_offers_in_one_sentence_with_amount_rate_condition_and_beneficiary(policy_from_text):
    policy, items = supports(policy_from_text, "对符合条件的初创企业，经评估按投入的30%给予补贴，单个项目最高不超过200万元；"
                                               "对认定的新型研发机构给予一次性奖励。")
    assert [s.kind for s in items] == ["补贴", "奖励"]
    subsidy, award = items
    assert subsidy.rate == "30%"
    assert subsidy.cap == "最高不超过200万元"
    assert "经评估" in subsidy.condition and "符合条件的初创企业" in subsidy.condition
    assert subsidy.applicants == ["中小企业"]
    assert subsidy.beneficiaries == ["中小企业", "企业"]  # a filter for 企业 finds the narrower applicant
    assert award.beneficiaries == ["科研机构"]
    for s in items:
        assert policy.text[s.span.start:s.span.end] == s.text


def test_a_discount_is_kept_as_the_offer_s_rate(policy_from_text):
    """8折 / 8.5折 / 九折 is the rate of a discount (the price paid), kept as written like 30%; 折合 (an
    amount converted) and 折旧 (depreciation) are not discounts."""
    _, items = supports(policy_from_text, "对入驻园区的初创企业，给予办公用房租金8折优惠。")
    assert items and items[0].rate == "8折" and "8折" in items[0].amounts
    _, items = supports(policy_from_text, "对引进的高层次人才，给予住宿、餐饮九折优惠。")
    assert items and items[0].rate == "九折"
    _, items = supports(policy_from_text, "对认定的企业，按折合人民币30万元给予一次性奖励。")
    assert items and items[0].rate is None and "折" not in "".join(items[0].amounts)


@pytest.mark.parametrize("sentence, kind", [
    ("落实软件企业所得税减免、增值税即征即退等税收优惠。", "税收优惠"),
    ("对采用首版次软件的用户单位给予补助。", "补贴"),
    ("发放算力券支持中小企业使用智能算力。", "券"),
    ("设立总规模100亿元的人工智能产业基金。", "基金"),
    ("为重点项目开辟审批绿色通道。", "绿色通道"),
    ("对入驻园区的团队给予3年免租的办公用房。", "场地"),
    ("为企业提供免费的上市辅导。", "服务"),
    ("支持创新产品优先纳入政府采购目录。", "优先支持"),
    ("将顶尖人才纳入市高层次人才计划，给予落户支持。", "人才政策"),
    ("对首次轻微违法行为依法不予处罚。", "包容审慎监管"),
    ("保障重点智算中心的能耗指标。", "要素保障"),
])
def test_each_kind_is_recognised(policy_from_text, sentence, kind):
    _, items = supports(policy_from_text, sentence)
    assert [s.kind for s in items] == [kind]


@pytest.mark.parametrize("sentence", [
    "吸引开放原子开源基金会设立分支机构。",  # a foundation, not a fund
    "重点投向早期项目和高层次人才。",  # talent as an investment target, nothing offered to talent
    "加强统筹协调，推动产业集聚发展。",
])
def test_sentences_that_offer_nothing(policy_from_text, sentence):
    assert supports(policy_from_text, sentence)[1] == []


def test_the_measure_title_is_not_an_offer(policy_from_text):
    _, items = supports(policy_from_text, "推动产业集聚发展。", title="加大政策支持")
    assert items == []


def test_deadline_inside_the_condition(policy_from_text):
    _, items = supports(policy_from_text, "对2025年底前完成部署的算力建设主体，经评估给予适当额度的部署奖励。")
    (award,) = items
    # a construction entity applies; an enterprise filter finds it
    assert (award.kind, award.deadline, award.amount, award.beneficiaries) == ("奖励", "2025-12-31", "适当额度", ["主体", "企业"])


def test_grouping_keeps_leading_conditions_with_their_offer():
    text = "对符合条件的企业，经评估，给予一次性奖励，鼓励加大投入"
    groups = offer_groups(text, 0, genre=packaged_genre())
    assert [(g.kind, text[g.start:g.end]) for g in groups] == [("奖励", text)]


def test_kind_priority_and_beneficiary_specificity():
    assert kind_of("在个税减免、住房补贴等方面给予支持", genre=packaged_genre()) == "税收优惠"
    assert beneficiaries_of("支持国有企业和高校", genre=packaged_genre()) == ["国有企业", "高校"]


# --- amounts, applicants, conditions and windows as real documents write them (sentences modelled on
# county and provincial support policies of the development corpus, not on the seed documents)

def test_an_amount_the_claimant_must_reach_is_condition_not_award(policy_from_text):
    _, items = supports(policy_from_text,
                        "对年度纳税额超过500万元的生产加工型企业，按其地方财政贡献额同比超出部分的20%给予企业奖励；"
                        "对新建项目固定资产投资1000万元及以上且亩均投资强度不低于200万元的，按固定资产投资的5%给予奖励；"
                        "对省内建成的二级节点项目省级按照不超过项目投资额30%的比例给予一次性奖补，最高300万元。")
    assert [s.amounts for s in items] == [["20%"], ["5%"], ["30%", "最高300万元"]]
    assert "年度纳税额超过500万元" in items[0].condition
    assert "固定资产投资1000万元及以上" in items[1].condition
    assert items[2].cap == "最高300万元" and items[2].rate == "30%"


def test_per_unit_and_written_out_amounts(policy_from_text):
    _, items = supports(policy_from_text, "对新发展500亩以上的基地，一次性奖励200元/亩；组团达1000人次以上的，给予5元/人/夜的奖励；"
                                          "每满一万人奖励一万元。")
    assert [s.amounts for s in items] == [["200元/亩"], ["5元/人/夜"], ["一万元"]]
    assert items[0].amount_values == [200.0] and items[2].amount_values == [10000.0]


def test_applicant_is_the_narrowest_name_unless_all_are_meant(policy_from_text):
    _, items = supports(policy_from_text, "对新增并纳入统计口径的规模以上工业企业，给予企业20万元奖励；"
                                          "将固定资产加速折旧的税收优惠政策由制造业企业扩展到全部企业。")
    assert items[0].applicants == ["规上企业"] and "企业" in items[0].beneficiaries
    assert items[1].kind == "税收优惠" and items[1].applicants == ["企业"]


def test_an_offer_naming_nobody_is_for_the_operator_of_what_is_rewarded(policy_from_text):
    _, items = supports(policy_from_text, "对新评定为三星级、四星级、五星级的酒店，一次性分别给予20万元、50万元、100万元奖励。"
                                          "投资5000万元以上，实行“一事一议”。")
    assert items[0].applicants == ["企业"] and items[0].amounts == ["20万元", "50万元", "100万元"]
    assert items[1].kind == "政策支持" and items[1].amounts == [] and items[1].applicants == ["企业"]


@pytest.mark.parametrize("sentence", [
    "各项奖励政策如与国家相关政策规定相抵触，按国家和上级文件规定执行。",
    "本意见涉及同一内容的奖励与其他政策文件规定不一致的，按“就高不重复”的原则执行。",
    "若存在违规申报奖励项目的，一经核实，不得享受奖励。",
    "此前出台的相关支持奖励政策同时废止。",
    "高层次人才仅能通过购房支持途径购买1套住房。",
])
def test_rules_about_support_are_not_offers(policy_from_text, sentence):
    assert supports(policy_from_text, sentence)[1] == []


def test_tiers_listed_after_the_offer_belong_to_it(policy_from_text):
    _, items = supports(policy_from_text, "引进的青年人才在本市无自有住房、租房居住的，可按以下标准领取租房补贴："
                                          "（一）博士研究生，补贴标准为每月2600元；（二）硕士研究生，补贴标准为每月1300元。")
    assert len(items) == 1 and items[0].kind == "补贴"
    assert items[0].amounts == ["每月2600元", "每月1300元"]
    assert "无自有住房" in items[0].condition


def test_offers_of_one_sentence_share_its_condition_and_applicant(policy_from_text):
    _, items = supports(policy_from_text, "在本区购买住宅商品房的，购房家庭适龄子女即可到所在学区的学校就学；"
                                          "可领取一张医院就诊卡，就医免挂号费，享受一次体检5折优惠。")
    assert [s.kind for s in items] == ["公共服务", "优惠"]
    assert all("在本区购买住宅商品房" in s.condition for s in items)
    assert all(s.applicants == ["家庭"] for s in items)


def test_application_window_is_kept_and_a_dated_one_is_a_deadline(policy_from_text):
    _, items = supports(policy_from_text, "对认定的企业技术中心给予50万元奖励，每年3月左右申报；"
                                          "对新建项目给予一次性补贴，申报截止日期为2030年6月30日。")
    assert items[0].window.startswith("每年3月") and items[0].deadline is None
    assert items[1].window.startswith("申报截止日期") and items[1].deadline == "2030-06-30"


def test_a_remark_in_brackets_caps_the_offer_before_it(policy_from_text):
    _, items = supports(policy_from_text, "对设备投资总额达到300万元以上的技术改造项目，给予“一事一议”奖励。"
                                          "（新建项目再进行技术改造的享受此条政策，最高奖励不超过50万元）。")
    assert len(items) == 1
    assert items[0].amounts == ["不超过50万元"] and items[0].cap == "不超过50万元"


def test_an_article_heading_and_an_enterprise_settling_are_not_offers(policy_from_text):
    _, items = supports(policy_from_text, "第17条种植基地建设奖励补助。对企业研发新药后落户我县投入生产的，对企业发展给予优先支持。")
    assert [s.kind for s in items] == ["优先支持"]
    assert "落户我县" in items[0].condition


def test_a_duty_is_not_an_offer(policy_from_text):
    _, items = supports(policy_from_text, "区住房保障部门对领取住房租赁补贴的对象应当发放住房租赁补贴通知书。"
                                          "符合条件的企业纳税人享受增值税留抵退税政策，确保税收优惠应享尽享。")
    assert [(s.kind, s.applicants) for s in items] == [("税收优惠", ["企业"])]


def test_a_dated_span_covers_the_offers_of_its_paragraph(policy_from_text):
    _, items = supports(policy_from_text, "2030年5月15日起至2031年5月14日，凡新购买新建商品住房的购房人，给予总房价1%的购房补贴；"
                                          "二孩家庭新购买新建商品住房的，给予总房价1.5%的购房补贴。")
    assert [s.deadline for s in items] == ["2031-05-14", "2031-05-14"]
    assert [s.applicants for s in items] == [["个人"], ["家庭"]]


def test_a_guide_declares_applicant_conditions_and_window_for_its_offers(policy_from_text):
    _, items = supports(policy_from_text, "对符合条件的创作项目给予最高10万元资助。申报主体为个人。"
                                          "申报条件：具有本市户籍且从事美术创作满三年。申报时间：每年3月左右公布，4月左右申报。")
    assert len(items) == 1
    assert items[0].applicants == ["个人"] and items[0].amounts == ["最高10万元"]
    assert "从事美术创作满三年" in items[0].condition and "符合条件的创作项目" in items[0].condition
    assert items[0].window.startswith("每年3月")


def test_a_date_in_a_condition_is_neither_the_offers_deadline_nor_its_window(policy_from_text):
    _, items = supports(policy_from_text, "对2019年底前成立的养老机构，给予每床每月150元的运营补贴。"
                                          "对在2021年1月1日至2021年12月31日期间正常经营的影院，给予奖励。")
    assert [(s.deadline, s.window) for s in items] == [(None, None), (None, None)]
    assert "2019年底前成立的养老机构" in items[0].condition


def test_a_window_that_opens_on_a_date_does_not_close_on_it():
    from kg.extract.support import window_end

    assert window_end("2022年8月 26日起，2025年失效") is None  # a guide's 时间/频度 row
    assert window_end("2024年5月15日(含15日)起至2025年5月14日") == "2025-05-14"


def test_treatment_equal_to_others_is_one_offer_to_the_person_named(policy_from_text):
    """Sentences of the development corpus (a State Council opinion, a provincial livelihood plan)."""
    _, items = supports(policy_from_text, "经工商登记注册的网络商户从业人员，同等享受各项就业创业扶持政策。"
                                          "对购买商办类房屋实际用于个人居住用途的,参照居民用水、用气价格标准执行,"
                                          "可享受与住宅同等的医疗、养老等公共服务。")
    assert [(s.kind, s.applicants) for s in items] == [("待遇", ["个人"]), ("待遇", ["个人"])]
    assert items[0].condition == "经工商登记注册的网络商户从业人员"  # 同等 is the manner, not who
    assert "购买商办类房屋实际用于个人居住用途" in items[1].condition


def test_national_treatment_of_foreign_investment_is_no_offer(policy_from_text):
    _, items = supports(policy_from_text, "实行外商投资准入前国民待遇加负面清单制度，进一步放开一般制造业准入。")
    assert items == []


@pytest.mark.parametrize("sentence, applicants", [
    ("指导各类创业孵化基地为电子商务创业人员提供场地支持和创业孵化服务。", ["个人"]),  # the recipient after 为
    ("符合条件的就业困难人员和高校毕业生，可享受灵活就业人员社会保险补贴政策。", ["个人"]),  # graduates are people
    ("满足统筹地区社会保险优惠政策条件的网络商户，可享受社会保险优惠政策。", ["企业"]),
    ("居民收入水平达到规定标准后，居民家庭方可享受新增购房资格。", ["家庭"]),  # whose income
    ("以下类别高层次人才可不受户籍限制购房,购买商品住房时视为无房居民家庭参与商品住房申购。", ["人才"]),  # a status
])
def test_natural_persons_and_families_apply_as_themselves(policy_from_text, sentence, applicants):
    _, items = supports(policy_from_text, sentence)
    assert [s.applicants for s in items] == [applicants]


@pytest.mark.parametrize("sentence", [
    "各级政府部门不得通过行政命令指定为电子商务提供公共服务的供应商。",  # a prohibition
    "提升电子商务在线支付的安全性，满足电子商务交易及公共服务领域金融服务需求。",  # a need
    "鼓励商业银行与电子商务企业开展多元化金融服务合作。",  # a cooperation
    "支持面向城乡居民社区提供日常消费、家政服务、远程缴费等综合服务的电子商务平台发展。",  # a provider
    "构建数字政府生态圈，为数字政府建设和运营提供长期稳定的服务和支撑。",  # a service to government
    "支持各县(市、区)因地制宜扩大农业保险特色险种,鼓励有条件的地方提高财政补贴比例,省级给予以奖代补支持。",
    "对生存条件差但生态地位重要、需要保护修复的贫困地区，通过生态补偿实现脱贫。",  # between governments
    "开展九洲江跨省区生态补偿试点。",
    "优化工程方案设计，从生态环境角度提出切实可行有效的保护、减缓和补偿措施。",  # a mitigation
])
def test_a_service_or_support_offered_to_no_applicant_is_no_offer(policy_from_text, sentence):
    _, items = supports(policy_from_text, sentence)
    assert items == []


def test_a_service_offered_to_enterprises_is_an_offer(policy_from_text):
    _, items = supports(policy_from_text, "组建专业化帮办代办队伍，为企业提供全程无偿代办帮办服务。"
                                          "对符合条件的企业给予差别化信贷支持，做好全口径金融服务。")
    assert [s.kind for s in items] == ["服务", "融资", "服务"]
    assert all(s.applicants == ["企业"] for s in items)


def test_a_remark_split_at_a_semicolon_does_not_become_a_condition(policy_from_text):
    _, items = supports(policy_from_text, "在高新区购买住宅商品房的，购房家庭适龄子女即可到学区的学校就学；可领取一张医院卡(就医免挂号费,"
                                          "享受一次体检5折优惠;开业两年内享受绿色通道服务,取药不排队)和一张酒店贵宾卡(享受住宿、餐饮8.5折)。")
    assert len(items) == 4 and all("在高新区购买住宅商品房" in s.condition for s in items)
    assert not any(")" in s.condition for s in items)


@pytest.mark.parametrize("sentence", [
    "为完善本市住房保障体系，规范住房租赁补贴发放和公共租赁住房建设，结合本市实际，制定本办法。",
    "本办法所称的公共租赁住房保障，是指按照规定的条件通过发放住房租赁补贴的方式解决住房困难的制度。",
    "本市规划、建设和管理公共租赁住房，发放住房租赁补贴，实施公共租赁住房保障，适用本办法。",
])
def test_purpose_definition_and_scope_of_a_regulation_offer_nothing(policy_from_text, sentence):
    _, items = supports(policy_from_text, sentence)
    assert items == []


def test_permits_granted_to_talent_are_one_offer_each_with_what_refers_back_to_it(policy_from_text):
    """Sentences of a free-trade-zone regulation of the development corpus."""
    _, items = supports(policy_from_text, "已加入外籍的留学人员在新片区工作的，可以直接办理长期海外人才居住证，免于办理外国人来华工作许可。"
                                          "已加入外籍的留学人员在新片区留学人员创业园创办企业的，直接给予外国人来华工作许可，"
                                          "其创业经历可以视同工作经历。")
    assert [(s.kind, s.applicants) for s in items] == [("资格", ["人才"]), ("资格", ["人才"])]  # 创办企业: not who applies
    assert "视同工作经历" in items[1].text
    _, data = supports(policy_from_text, "流动人口居住登记和居住证办理数据，由公安机关负责。")
    assert data == []


# --- words inside a cited title, table rows that are not application windows (development corpus)

@pytest.mark.parametrize("sentence", [
    # the preamble of a national research-programme guide: 基金 names the cited document, not an offer
    "根据国务院印发的《关于深化中央财政科技计划（专项、基金等）管理改革的方案》（国发〔2014〕64号）的总体部署，"
    "现将重点专项2018年度项目申报指南予以公布。",
    "各地要认真贯彻《关于给予中小企业最高100万元奖励的通知》精神。",
])
def test_words_inside_a_cited_title_offer_nothing(policy_from_text, sentence):
    assert supports(policy_from_text, sentence)[1] == []


def test_a_cited_title_neither_makes_a_kind_nor_an_applicant_of_the_offer_after_it(policy_from_text):
    _, items = supports(policy_from_text, "按照《市级产业发展专项资金管理办法》规定，对新认定的企业技术中心给予50万元奖励。")
    assert [(s.kind, s.amounts, s.applicants) for s in items] == [("奖励", ["50万元"], ["企业"])]
    _, items = supports(policy_from_text, "按照《关于支持高校毕业生就业的通知》，对新建项目给予20万元奖励。")
    assert [(s.kind, s.applicants) for s in items] == [("奖励", ["企业"])]  # the project's enterprise, no graduate


@pytest.mark.parametrize("row, window", [
    ("| 时间/频度 | 从2023年8月起 |", None),  # when the policy runs, not when one applies
    ("| 时间/频度 | 一般每年一次 |", None),
    ("| 时间/频度 | 每年3月左右公布，4月左右申报 |", "每年3月左右公布，4月左右申报"),
    ("| 时间/频度 | 每年定期集中申报 |", "每年定期集中申报"),
    ("| 申报时间 | 每年9月左右 |", "每年9月左右"),  # the label says it is when one applies
])
def test_a_time_row_is_a_window_only_in_words_of_applying(policy_from_text, row, window):
    _, items = supports(policy_from_text, f"\n| 支持标准 | 对认定的企业技术中心给予50万元奖励。 |\n{row}\n")
    assert [s.window for s in items] == [window]


def test_a_month_each_year_is_a_window_only_with_words_of_applying(policy_from_text):
    _, items = supports(policy_from_text, "对认定的企业技术中心给予50万元奖励，每年3月底前公布名单。")
    assert [s.window for s in items] == [None]
    _, items = supports(policy_from_text, "对新建项目给予一次性补贴，于每年6月集中受理。")
    assert [s.window for s in items] == ["每年6月集中受理"]


# --- tiers: each tier's amount kept with its tier (sentences of provincial and county policies and a
# city's talent-housing rules of the development corpus)

@pytest.mark.parametrize("sentence, tiers", [
    ("对评估等级在3A、4A、5A级的企业，省级分别给予一次性奖补50万元、100万元、150万元。",
     ["3A级：50万元", "4A级：100万元", "5A级：150万元"]),
    ("对初次认定为国家级和省 级企业技术(研发)中心的，分别给予企业100万元和30 万元奖励。",
     ["国家级：100万元", "省级：30 万元"]),
    ("对牵头制定并新获批国际标准、国家标准、行业标准的，当年分别给予企业100万元、50万元和30万元奖励。",
     ["国际标准：100万元", "国家标准：50万元", "行业标准：30万元"]),
    ("对新评定为三星级、四星级、五星级的酒店，一次性分别给予20万元、50万元、100万元奖励。",
     ["三星级：20万元", "四星级：50万元", "五星级：100万元"]),
    ("对认定为A、B、C类人才的，分别给予每月5000元、3000元、2000元的住房补贴。",
     ["A类：每月5000元", "B类：3000元", "C类：2000元"]),
    ("年度地方财政贡献1000万元及以上至2000万元、2000万元以上至5000万元、5000万元以上的，"
     "分别参照其地方财政贡献的70%、80%和90%给予企业奖励。",
     ["1000万元及以上至2000万元：70%", "2000万元以上至5000万元：80%", "5000万元以上：90%"]),
    ("对特色农业类项目，固定资产投资1000万元及以上至5000万元、5000万元以上至1亿元、1亿元以上的，"  # no 分别
     "参照其年度地方财政贡献的70%、80%和90%给予企业奖励。",
     ["1000万元及以上至5000万元：70%", "5000万元以上至1亿元：80%", "1亿元以上：90%"]),
    ("对新建高级雪道、中级雪道、初级雪道分别奖励100万元、50万元、5万元。",  # grades of one thing
     ["高级雪道：100万元", "中级雪道：50万元", "初级雪道：5万元"]),
    ("对新取得中级、高级专业技术职称的人员，分别给予3000元、5000元奖励。", ["中级：3000元", "高级：5000元"]),
    ("对新评定为国家2—5星级的乡村旅游示范单位，一次性分别给予2万元、4万元、8万元、15万元奖励。",  # a range of grades
     ["2星级：2万元", "3星级：4万元", "4星级：8万元", "5星级：15万元"]),
    ("对新评定为三至四星级的饭店，分别给予10万元、20万元奖励。", ["三星级：10万元", "四星级：20万元"]),
    ("新建的星级酒店，三星级按60%奖励返还，四星级按80%奖励返还，五星级按100%奖励返还。",  # pairs
     ["三星级：60%", "四星级：80%", "五星级：100%"]),
    ("被评为示范村的，县财政按照不同级别给予一次性配套奖励，市级奖励2万元，省级奖励5万元，国家级奖励10万元。",
     ["市级：2万元", "省级：5万元", "国家级：10万元"]),
    ("A类人才每人每月补贴3000元，B类人才每人每月补贴2000元，C类人才每人每月补贴1000元。",  # pairs naming the graded
     ["A类人才：3000元", "B类人才：2000元", "C类人才：1000元"]),
])
def test_each_tier_keeps_its_amount(policy_from_text, sentence, tiers):
    _, items = supports(policy_from_text, sentence)
    assert [s.tiers for s in items] == [tiers]


@pytest.mark.parametrize("sentence", [
    "对新认定的国家级和省级专精特新企业给予奖励，最高100万元。",  # one amount: a cap, not a tier
    "对A、B类人才给予50万元、100万元补贴和20万元奖励。",  # no 分别: the amounts are not said to follow the tiers
    "对设备购置额给予补助，省级按10%给予补助，市级配套5%。",  # shares of two levels of government, not tiers
])
def test_no_tiers_where_amounts_do_not_follow_them(policy_from_text, sentence):
    _, items = supports(policy_from_text, sentence)
    assert all(s.tiers == [] for s in items)


def test_a_tier_of_talent_is_the_condition_of_what_it_is_offered(policy_from_text):
    _, items = supports(policy_from_text, "符合《人才安居资格认定办法》条件的A、B类人才，可不受户籍、社保缴纳时间和住房限购区域的限制购房。")
    assert [(s.applicants, "A、B类人才" in (s.condition or "")) for s in items] == [(["人才"], True)]


def test_a_longer_list_than_its_amounts_has_no_tiers(policy_from_text):
    """A county's list of five kinds of standard for three amounts: which gets which is not written."""
    _, items = supports(policy_from_text, "对重点国际标准、国家标准以及行业标准、地方标准、团体标准，分别按每项不高于100万元、30万元和20万元给予资金补助。")
    assert [s.tiers for s in items] == [[]]


# --- conditions written apart from the award they condition (a city's talent-housing rules and a
# provincial measure of the development corpus)

HOUSING = """示范市高层次人才购买商品住房实施细则

一、支持对象

（一）符合认定办法条件的A、B、C类人才。

二、申请条件

上述高层次人才通过购房支持途径购买商品住房,本人及其家庭成员自有住房套数须符合我市住房限购政策相关规定。

三、支持措施

（一）购房顺位支持

以下类别高层次人才可不受户籍、社保缴纳时间和住房限购区域的限制购房。

1.人才绿卡的持卡人。

2.符合认定办法条件的C类人才。

（二）预留住房支持

符合认定办法条件的A、B类人才,可不受户籍、社保缴纳时间和住房限购区域的限制购房,可提前预留意向购买项目房源。
"""


def test_a_conditions_section_and_a_list_of_who_qualifies_condition_the_awards(policy_from_text):
    policy = policy_from_text(HOUSING)
    items = [s for v in extract_support(policy, genre=packaged_genre()).values() for s in v]
    assert [s.kind for s in items] == ["资格", "资格"]  # the conditions section offers nothing itself
    order, reserve = items
    assert "人才绿卡的持卡人" in order.condition and "C类人才" in order.condition
    assert "A、B类人才" in reserve.condition and "C类人才" not in reserve.condition
    for s in items:
        assert "自有住房套数须符合我市住房限购政策相关规定" in s.condition
        assert any("须符合我市住房限购政策" in policy.text[sp.start:sp.end] for sp in s.condition_spans)


TWO_SCHEMES = """示范省促进产业发展若干措施

一、支持技术改造

（一）支持内容。对企业技术改造项目给予设备投资额10%的补助。

（二）申报条件。申报企业须在本省注册，且上年度营业收入不低于2000万元。

二、支持人才引进

（一）引进博士。对新引进的博士给予每人10万元安家补贴。
"""


def test_a_conditions_measure_conditions_the_awards_of_its_own_section_only(policy_from_text):
    policy = policy_from_text(TWO_SCHEMES)
    items = [s for v in extract_support(policy, genre=packaged_genre()).values() for s in v]
    assert [s.amounts for s in items] == [["10%"], ["每人10万元"]]
    retrofit, doctor = items
    assert "上年度营业收入不低于2000万元" in retrofit.condition
    assert "营业收入" not in (doctor.condition or "") and doctor.condition_spans == []


# --- the support an enterprise can apply for, bullet by bullet: money read by jionlp, non-monetary
# kinds, applicants apart from objects, windows as deadlines

@pytest.mark.parametrize("expr, value", [
    ("最高500万元", 5_000_000.0), ("不超过1.5亿元", 150_000_000.0), ("每年最高 500 万元", 5_000_000.0),
    ("累计不超过1000万元", 10_000_000.0), ("200元/亩", 200.0), ("一万元", 10_000.0), ("每项不高于100万元", 1_000_000.0),
    ("30%", None),
])
def test_money_is_read_by_the_kept_parser(expr, value):
    from kg.extract.support import money_value

    assert money_value(expr) == value


def test_a_rate_with_its_cap_and_an_amount_not_higher_than(policy_from_text):
    _, items = supports(policy_from_text, "对企业购置研发设备的，按购置额的20%给予最高200万元补贴；"
                                          "对重点行业标准，按每项不高于100万元给予资金补助。")
    assert [(s.rate, s.cap, s.amounts) for s in items] == [
        ("20%", "最高200万元", ["20%", "最高200万元"]),
        (None, "不高于100万元", ["每项不高于100万元"])]
    assert items[0].amount_values == [2_000_000.0] and items[1].amount_values == [1_000_000.0]


@pytest.mark.parametrize("sentence, kind", [
    ("入驻企业可免费使用公共实验平台。", "优惠"),
    ("对入驻的初创企业给予三年房租减免。", "场地"),
    ("对首次购买服务的中小企业给予服务费用优惠30%。", "优惠"),
    ("向中小企业发放数据券，降低数据使用成本。", "券"),
    ("对引进的高层次人才，按规定发放人才卡。", "人才政策"),
    ("对新落户的企业开辟项目审批绿色通道。", "绿色通道"),
    ("对新引进的博士给予每人10万元购房补贴。", "补贴"),
])
def test_non_monetary_support_is_support(policy_from_text, sentence, kind):
    _, items = supports(policy_from_text, sentence)
    assert [s.kind for s in items] == [kind]


def test_an_innovation_entity_is_found_by_a_filter_for_enterprises(policy_from_text):
    _, items = supports(policy_from_text, "对调用智算云服务的创新主体，经评估给予一定比例的算力补贴。")
    assert items[0].applicants == ["主体"] and "企业" in items[0].beneficiaries


ARTICLES = """示范市促进产业发展办法

第一章 总则

第五条 对符合下列条件的企业，给予一次性奖励50万元：
（一）在本市注册并依法纳税；
（二）上年度营业收入不低于1亿元。

第六条 对新认定的高新技术企业给予20万元奖励。
"""


def test_an_article_of_one_sentence_offers_and_its_inline_list_of_conditions_is_linked(policy_from_text):
    """A regulation's articles (第N条) as the development corpus writes them: the conditions listed under
    符合下列条件的 belong to the award, and an article that is one sentence is an offer, not a heading."""
    policy = policy_from_text(ARTICLES)
    items = [s for v in extract_support(policy, genre=packaged_genre()).values() for s in v]
    assert [(s.kind, s.amounts) for s in items] == [("奖励", ["50万元"]), ("奖励", ["20万元"])]
    listed, single = items
    assert "在本市注册并依法纳税" in listed.condition and "上年度营业收入不低于1亿元" in listed.condition
    assert "高新技术企业" not in listed.condition and "营业收入" not in single.condition
    assert any("不低于1亿元" in policy.text[sp.start:sp.end] for sp in listed.condition_spans)


def test_a_window_written_relative_to_expiry_is_kept_as_written(policy_from_text):
    """保障期限届满3个月前提交申请: the public-rental-housing regulation of the development corpus."""
    _, items = supports(policy_from_text, "保障对象需要继续领取住房租赁补贴的，须在保障期限届满3个月前提交申请。")
    assert [s.window for s in items] == ["届满3个月前提交申请"]


def test_an_award_to_sellers_and_a_price_offer_to_buyers_are_read_per_offer(policy_from_text):
    _, items = supports(policy_from_text, "对年销售面积达到2万平方米以上的商品住房项目，给予开发企业20万元奖励。"
                                          "区住房城乡建设局要做好房源推介，全力支持开发企业开展面向企事业单位职工的"
                                          "商品住房团购活动，并给予团购优惠。鼓励开发商加大优惠力度让利购房人。")
    award, group_buying, discount = items
    assert award.kind == "奖励" and award.applicants == ["企业"] and "2万平方米" in award.condition
    assert group_buying.kind == "优惠" and group_buying.applicants == ["个人"]
    assert group_buying.condition is None  # what the bureau is told to do qualifies no one
    assert discount.kind == "优惠" and discount.applicants == ["个人"] and discount.condition is None


@pytest.mark.parametrize("sentence", [
    "支持企业参与老旧小区改造，在贷款期限、贷款额度、利率定价等方面给予支持。",
    "鼓励金融机构对暂时困难的企业通过延长还款期限、调整还款计划等方式予以支持。",
    "市住房保障部门是全市住房保障工作的实施机构，负责住房租赁补贴计发工作。",
])
def test_a_lenders_loan_terms_and_a_bodys_remit_are_not_offers(policy_from_text, sentence):
    assert supports(policy_from_text, sentence)[1] == []


def test_a_financial_service_the_issuer_arranges_stays_support(policy_from_text):
    _, items = supports(policy_from_text, "引导金融机构为科技型企业提供金融服务支持。")
    assert [(s.kind, s.applicants) for s in items] == [("服务", ["企业"])]


def test_a_sentence_does_not_lend_its_condition_to_the_next(policy_from_text):
    _, items = supports(policy_from_text, "在本区购买新建商品房的，可同步发放消费券。对新认定的高新技术企业给予20万元奖励。"
                                          "发放算力券，降低企业成本。")
    assert "购买新建商品房" in items[0].condition
    assert items[2].kind == "券" and items[2].condition is None


# --- tiers that are brackets of a measured quantity (floor area, weight, investment) or classes of place
# or person, in the forms dev documents write them (a Beijing industrial-policy guide, county incentive
# rules) and synthetic sentences of the same shapes

@pytest.mark.parametrize("sentence, tiers", [
    ("对年接待游客3万人次、5万人次、8万人次以上的乡村旅游经营主体，分别给予10万元、20万元、30万元奖励。",
     ["3万人次以上：10万元", "5万人次以上：20万元", "8万人次以上：30万元"]),
    ("对新建标准厂房面积1万平方米、2万平方米以上的园区，分别给予50万元、100万元补助。",
     ["1万平方米以上：50万元", "2万平方米以上：100万元"]),
    ("对建成的加氢站，按照压缩机12小时额定工作能力不少于1000公斤和500公斤两档分别给予500万元和200万元的定额建设补贴。",
     ["不少于1000公斤：500万元", "不少于500公斤：200万元"]),
    ("对吸纳就业50人、100人以上的企业，分别给予5万元、10万元奖励。", ["50人以上：5万元", "100人以上：10万元"]),
])
def test_brackets_of_a_quantity_before_their_amounts_are_tiers(policy_from_text, sentence, tiers):
    _, items = supports(policy_from_text, sentence)
    assert [s.tiers for s in items] == [tiers]


@pytest.mark.parametrize("sentence, tiers", [
    # offers one after the other, each paying one bracket of the same quantity (a county's planting rules,
    # a city guide's fund brackets)
    ("对新建种植基地面积在100亩及以上至500亩的，给予企业100元/亩奖励；对新建面积在500亩以上的，给予企业200元/亩奖励。",
     [["100亩及以上至500亩：100元/亩"], ["500亩以上：200元/亩"]]),
    ("按照年度出资额度分档给予支持，其中，实际出资额在3亿元至5亿元（含）的，给予不超过500万元资金支持；"
     "实际出资额在5亿元至10亿元（含）的，给予不超过800万元资金支持；实际出资额在10亿元以上的，给予不超过1000万元资金支持。",
     [["3亿元至5亿元（含）：不超过500万元"], ["5亿元至10亿元（含）：不超过800万元"], ["10亿元以上：不超过1000万元"]]),
    ("对吸纳就业不足50人的小微企业，给予2万元补贴；对吸纳就业50人（含）以上的小微企业，给予5万元补贴。",
     [["不足50人：2万元"], ["50人（含）以上：5万元"]]),
    ("对新增就业岗位100个（含）以上的企业，给予20万元奖励；50个（含）以上不足100个的，给予10万元奖励。",  # the rest leave
     [["100个（含）以上：20万元"], ["50个（含）以上不足100个：10万元"]]),  # what is measured understood
    # a sub-list (（1）（2）) of brackets under 按以下标准, the unit written once in a range (a city guide's
    # incubator brackets)
    ("按以下标准给予奖励：（1）年营业收入1亿元以上的，奖励50万元；（2）年营业收入5000万元（含）至1亿元的，奖励30万元。",
     [["1亿元以上：50万元"], ["5000万元（含）至1亿元：30万元"]]),
    ("（1）对场地面积3万平方米（含）以上的园区，给予不超过500万元的资金支持。（2）对场地面积1万（含）至3万平方米的园区，"
     "给予不超过200万元的资金支持。", [["3万平方米（含）以上：不超过500万元"], ["1万（含）至3万平方米：不超过200万元"]]),
    # offers one after the other, each paying one grade of the same thing
    ("对新开发和引进一类新药，年销售额在1亿元及以上的，单品种奖励企业200万元；新开发和引进二类新药，年销售额在5000万元及以上的，"
     "单品种奖励企业100万元。", [["一类新药：200万元"], ["二类新药：100万元"]]),
    ("对引进的A类人才，给予每人每月3000元生活补贴；对引进的B类人才，给予每人每月2000元生活补贴。",
     [["A类人才：每人每月3000元"], ["B类人才：每人每月2000元"]]),
])
def test_offers_in_a_row_by_bracket_or_grade_each_keep_their_tier(policy_from_text, sentence, tiers):
    _, items = supports(policy_from_text, sentence)
    assert [s.tiers for s in items if s.amounts] == tiers


@pytest.mark.parametrize("sentence", [
    # two offers with different conditions, no bracket of one quantity between them
    "在美食街内新开设特色美食餐厅，营业面积在100平方米以上，经营满一年的一次性奖励1万元；对引进连锁店经营满二年以上的，一次性奖励2万元。",
    # the same threshold written twice: what differs is the kind of enterprise, not a bracket
    "上年度产值首次突破1亿元（含）的先进制造业企业，一次性奖励不超过50万元；上年度营业收入突破1亿元（含）的软件信息服务业企业，一次性奖励不超过50万元。",
])
def test_offers_in_a_row_without_brackets_or_grades_have_no_tiers(policy_from_text, sentence):
    _, items = supports(policy_from_text, sentence)
    assert all(s.tiers == [] for s in items)


def test_the_classes_listed_after_an_offer_are_its_tiers(policy_from_text):
    """Classes of place (where one works) and of project listed under 以下标准, each with its own amount."""
    _, items = supports(policy_from_text, "引进的青年人才在本市租房居住的，按照以下标准给予租房补贴："
                                          "（一）在中心城区、高新区工作的，补贴标准为每人每月2600元；"
                                          "（二）除中心城区、高新区以外，在其他城区工作的，补贴标准为每人每月950元；"
                                          "在各县工作的，补贴标准为每人每月700元。")
    assert [s.tiers for s in items] == [["在中心城区、高新区工作：每人每月2600元", "在其他城区工作：每人每月950元",
                                         "在各县工作：每人每月700元"]]
    _, items = supports(policy_from_text, "大型舞台剧创作项目申请资助资金的额度不超过以下标准：戏曲、话剧项目250万元；"
                                          "歌剧、舞剧项目400万元；儿童剧项目120万元。")
    assert [s.tiers for s in items] == [["戏曲、话剧项目：250万元", "歌剧、舞剧项目：400万元", "儿童剧项目：120万元"]]


def test_tiers_named_after_their_amounts(policy_from_text):
    """A county's tourism rules: 分别按其营业额的15%、10%对引进企业和社团进行奖励 — amounts first, tiers after."""
    _, items = supports(policy_from_text, "对引进营业额10万元以上的大型会议，分别按其营业额的15%、10%对引进企业和社团进行奖励，"
                                          "单个项目奖励最高不超过30万元。")
    assert items[0].tiers == ["引进企业：15%", "社团：10%"]


def test_the_preamble_says_why_and_offers_nothing(policy_from_text):
    """The text before a notice's first provision states its background and purpose, in the words of
    support (为大众创业提供了新空间, 进一步完善补贴政策: development documents 019 and 023); the offers are
    the provisions'."""
    policy = policy_from_text("示范市促进电子商务发展的意见\n\n近年来电子商务发展迅猛，为大众创业、万众创新提供了新空间。"
                              "为进一步完善购置补贴政策，现提出以下意见：\n\n一、加大支持力度\n\n"
                              "（一）对新认定的电子商务示范企业给予50万元奖励。\n")
    items = [s for v in extract_support(policy, genre=packaged_genre()).values() for s in v]
    assert [(s.kind, s.amounts) for s in items] == [("奖励", ["50万元"])]
