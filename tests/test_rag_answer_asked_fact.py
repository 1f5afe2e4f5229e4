"""An answer citing the right clause carries the fact asked in its quotes: the span asked in days, a
window recurring each year, what excludes an applicant, and the threshold a whether-question's own
figure is measured against — the sentence of the cited clause that writes it is quoted when the
sentences chosen by the question's words do not."""

from __future__ import annotations

import re
from types import SimpleNamespace

from genre import packaged as packaged_genre
from rag.compose import (
    Context,
    View,
    analyse_focus,
    asked_kind,
    candidate_sentences,
    compose,
    own_figure_units,
    ranked_sentences,
    settings_data,
    states_kind,
    states_threshold_in,
)
from rag.intents import Intent
from rag.linking import Linked
from rag.model import Hit

GENRE = packaged_genre()
FILLER = "申报单位应对申报材料的真实性负责，并按要求如实填写申报书。" * 12  # a clause too long to be quoted whole


def _view(mid: str, title: str, text: str) -> View:
    return View(measure_id=mid, policy_id=mid.split(".")[0], text=text, start=0, title=title, number="1.",
                policy="某市文化和旅游消费奖励办法", city="某市")


def _context(question: str, intent: str, views: list[View], graph=None, signals=("bm25", "dense")) -> Context:
    linked = Linked(text=question, links=[])
    focus, nouns = analyse_focus(linked, intent, genre=GENRE)
    fused = [Hit(chunk_id=v.measure_id, measure_id=v.measure_id, score=1.0 / i, signal="fused", rank=i,
                 ranks={s: i for s in signals}) for i, v in enumerate(views, 1)]
    return Context(question=question, linked=linked, intent=Intent(intent), focus=focus,
                   views={v.measure_id: v for v in views}, fused=fused, graph=graph, policies=[],
                   responsibility_labels=["责任单位"], nouns=nouns, genre=GENRE)


def _fact(view: View, sentence: str, **fields) -> dict:
    start = view.text.index(sentence)
    return {"measure_id": view.measure_id, "score": 1.0, "kind": "奖励", "quote": sentence,
            "start": start, "end": start + len(sentence), **fields}


def test_a_span_asked_in_its_unit_is_a_duration_and_a_yearly_month_is_a_date():
    days = asked_kind("进了答辩那一轮，正式申报书给多少天时间填交", genre=GENRE)
    assert states_kind(days, "正式申报书受理时间为30天。", genre=GENRE)
    assert not states_kind(days, "2018年3月1日前提交。", genre=GENRE)  # a date is no span
    when = asked_kind("实体书店的扶持资金一般一年中什么时候申报", genre=GENRE)
    assert states_kind(when, "| 时间/频度 | 每年9月左右 |", genre=GENRE)
    assert states_kind(when, "每年3月左右公布，4月左右申报", genre=GENRE)
    assert not states_kind(when, "专家组成员不少于5人。", genre=GENRE)


def test_an_age_limit_stated_by_the_retirement_age_answers_how_old():
    """借款人年龄与贷款期限之和可延长至法定退休年龄后10年: an age stated by the retirement age, as
    lending and employment rules state it, answers 最多能贷到多大岁数."""
    age = asked_kind("公积金或者商贷最多能贷到我多大岁数？", genre=GENRE)
    assert states_kind(age, "首套住房借款人年龄与贷款期限之和可延长至法定退休年龄后10年", genre=GENRE)
    assert not states_kind(age, "推动适当延长贷款年限。", genre=GENRE)


def test_a_window_recurring_each_year_is_when_one_applies():
    spec = settings_data(GENRE)["clause_time"]
    assert re.search(spec["start_asked"], "一般一年里什么时候报名")
    assert re.search(spec["start"], "| 时间/频度 | 每年9月左右 |")
    assert re.search(spec["start"], "每年3月左右公布，4月左右申报")
    assert not re.search(spec["start"], "单个项目奖励额度不超过100万元。")


def test_a_time_asked_as_shijian_is_answered_by_the_sentence_stating_the_tasks_time():
    """什么时间取得明显成效 asks a time as 什么时候 does; a task's time is often its month's end (6月底) or
    the year's end (年底前完成), which the quoted sentence must say."""
    kind = asked_kind("基层业务系统对接一体化平台，要求什么时间取得明显成效？", genre=GENRE)
    assert kind is not None
    assert states_kind(kind, "（6月底取得明显成效并持续推进，牵头考核单位：市审批服务局）", genre=GENRE)
    assert states_kind(kind, "加快实施部分核心设备利旧替代工程，年底前完成全部改造任务。", genre=GENRE)
    assert not states_kind(kind, "推动基层部门的公共服务业务系统与一体化平台对接。", genre=GENRE)


def test_a_tasks_month_end_deadline_is_the_end_a_clause_states():
    """分工方案 and 考评办法 set their tasks' ends as 5月底完成 / 10月底前 / 年底前: the end asked of the task."""
    spec = settings_data(GENRE)["clause_time"]
    assert re.search(spec["end"], "（5月底完成，牵头考核单位：市工信局）")
    assert re.search(spec["end"], "年底前实现政务服务事项全程网办。")
    assert not re.search(spec["end"], "推进条件较好旗县区，分批次实现千兆升级。")


def test_a_deadline_in_the_bracket_closing_a_task_is_quoted_with_the_task():
    """A task list dates each task in the bracket that names its lead body (…的重要依据。（6月底完成，牵头考核
    单位：市审批服务局）): asked by when, the quote is the task with that bracket, not the task alone, nor
    the bracket alone."""
    assert states_kind(asked_kind("这一项最晚啥时候得弄完？", genre=GENRE), "（6月底完成，牵头考核单位：市审批服务局）",
                       genre=GENRE)
    task = _view("p1.m17", "17．加强评价数据综合分析和应用",
                 "17．加强评价数据综合分析和应用，将“好差评”反映问题作为优化办事流程、动态调整办事指南的重要依据。"
                 "（6月底完成，牵头考核单位：市审批服务局）")
    answer = compose(_context("用好差评数据优化办事流程和办事指南，最晚啥时候得弄完？", "metadata", [task]), genre=GENRE)
    assert not answer.abstained, answer.answer
    assert [c.quote.endswith("（6月底完成，牵头考核单位：市审批服务局）") and "办事指南" in c.quote
            for c in answer.citations] == [True], answer.answer

    assert own_figure_units("我开了个小书店，营业才两年，能申请扶持资金吗", genre=GENRE) == ["年"]
    assert own_figure_units("我们2024年成立的公司能申请吗", genre=GENRE) == []  # a calendar year
    assert own_figure_units("我们只招了八个人，还能报吗", genre=GENRE) == ["人"]
    assert states_threshold_in("年", "且经营时间已满三年的实体书店", genre=GENRE)
    assert states_threshold_in("人", "专家组成员不少于 5人。", genre=GENRE)
    assert not states_threshold_in("年", "2023年10月11日起至2025年12月31日止", genre=GENRE)
    assert not states_threshold_in("年", "单个实体书店获得奖励的最高限额为100万元。", genre=GENRE)


def test_a_whether_question_gets_the_clauses_exclusion_when_the_offer_says_none():
    offer = "按照新产品、新场景四个领域进行评定并给予奖励，单个项目奖励额度不超过100万元。"
    exclusion = ("有下列情形之一的不得申报：（1）申报单位存在严重违法失信情形的；（2）同一项目已享受市级相关资金支持的；"
                 "（3）有知识产权争议的。")
    clause = _view("p1.m15", "文化和旅游新消费奖励", offer + FILLER + exclusion)
    graph = SimpleNamespace(supports=[_fact(clause, offer, amount="100万元")], departments={})
    ctx = _context("我们的文旅项目已经拿过市里别的资金了，还能再去报新消费奖励吗", "support", [clause], graph)
    answer = compose(ctx, genre=GENRE)
    assert "同一项目已享受市级相关资金支持的" in answer.answer
    assert any("同一项目已享受" in c.quote and c.measure_id == "p1.m15" for c in answer.citations)


def test_a_whether_question_stating_its_own_figure_gets_the_threshold_of_its_unit():
    offer = "扶持资金的使用方式以奖励为主。单个实体书店获得奖励的最高限额为100万元。"
    eligible = "扶持对象为有固定经营场所，且经营时间已满三年的实体书店。"
    clause = _view("p1.m13", "实体书店扶持资金", offer + FILLER + eligible)
    graph = SimpleNamespace(supports=[_fact(clause, "单个实体书店获得奖励的最高限额为100万元。", amount="100万元")],
                            departments={})
    answer = compose(_context("我开了个小书店，营业才两年，能申请实体书店的扶持资金吗", "support", [clause], graph),
                     genre=GENRE)
    assert "经营时间已满三年" in answer.answer
    asked_other = compose(_context("实体书店的扶持资金最多给多少", "support", [clause], graph), genre=GENRE)
    assert "经营时间已满三年" not in asked_other.answer  # the amount asked is quoted already: nothing added


def test_a_goal_asked_in_money_is_the_target_its_clause_measures_in_money():
    from rag.compose import narrowed_goals, stating_rows

    goal = ("到2026年，全市终端产业规模达8000亿元以上，终端产品产量突破1.5亿台，在手机、计算机等领域推出50款以上爆款终端产品。")
    view = View(measure_id="p1.m1", policy_id="p1", start=0, title="一、发展目标", number="一、", text=goal,
                policy="某市终端产业行动计划", city="某市")

    def target(text: str, metric: str, value: float, unit: str, score: float) -> dict:
        start = goal.index(text)
        return {"measure_id": "p1.m1", "policy_id": "p1", "city": "某市", "score": score, "text": text,
                "quote": text, "metric": metric, "value": value, "unit": unit, "year": 2026,
                "start": start, "end": start + len(text)}

    graph = SimpleNamespace(departments={}, supports=[], targets=[
        target("在手机、计算机等领域推出50款以上爆款终端产品", "爆款终端产品", 50, "款", 1.5),
        target("终端产品产量突破1.5亿台", "终端产品产量", 1.5, "亿台", 0.8),
        target("全市终端产业规模达8000亿元以上", "终端产业规模", 8000, "亿元", 0.3)])
    found = graph.targets
    money = _context("手机电脑这些终端产品，到2026年产值要做到多少？", "targets", [view], graph)
    rows, _ = narrowed_goals(money, stating_rows(money, found[:2], found), [], genre=GENRE)
    assert [r["unit"] for r in rows] == ["亿元"]
    counted = _context("到2026年要打造出多少款爆款终端产品？", "targets", [view], graph)
    rows, _ = narrowed_goals(counted, stating_rows(counted, found[:2], found), [], genre=GENRE)
    assert "款" in [r["unit"] for r in rows] and "亿元" not in [r["unit"] for r in rows]  # 出多少款: no 出钱
    both = _context("要推出多少款爆款产品？产量占比呢？", "targets", [view], graph)  # two things asked
    assert stating_rows(both, found[:2], found) == found[:2]  # a kept target states the first kind: kept


def test_the_years_a_plan_is_drawn_up_to_ask_its_period_not_a_comparison():
    from rag.intents import route

    question = "城市内涝治理的十四五规划，近期和远期分别规划到哪一年"
    assert route(Linked(text=question, links=[]), genre=GENRE).name == "metadata"


def test_a_question_asking_only_how_long_is_refused_when_no_quote_states_a_time():
    """"审核认定需要多少个工作日办结" answered by the clause on the same procedure that names no time is no
    answer: the quotes are kept under a refusal. With the clause stating one the answer stands; a
    question asking an amount too (奖励多少，分几年给) is answered by the amount."""
    silent = _view("p1.m1", "人才认定", "高层次人才申请购房支持前，须由相关部门按程序进行人才资格审核认定。经认定后按照以下流程实施。")
    timed = _view("p1.m1", "人才认定", "高层次人才申请购房支持前，须由相关部门按程序进行人才资格审核认定，15个工作日内办结。")
    question = "高层次人才申请购房支持，人才资格审核认定需要多少个工作日办结？"
    refused = compose(_context(question, "general", [silent]), genre=GENRE)
    assert refused.abstained and "没有写明所问的期限或时长" in refused.answer and refused.citations
    assert not compose(_context(question, "general", [timed]), genre=GENRE).abstained
    paid = _view("p1.m1", "服务业奖励", "对新纳入统计的规上服务业企业每家奖励10万元，奖励资金分年度拨付。")
    assert not compose(_context("规上服务业企业奖励多少，分几年给？", "support", [paid]), genre=GENRE).abstained


def test_a_question_asking_only_an_amount_or_a_share_is_refused_when_no_quote_states_one():
    """"个人所得税能少交多少" answered by the clause that only promises to study a tax policy, or "比例是
    多少" by one stating no share, is no answer: the quotes are kept under a refusal. A question asking
    whether money is given (给不给钱) or whether a share was eased (比例有没有放宽) asks no figure, and
    the clause answers it."""
    studied = _view("p1.m2", "人才税收支持", "对符合条件的企业按照相关规定给予支持。研究实施境外人才个人所得税支持政策。")
    refused = compose(_context("境外人才的个人所得税能少交多少？", "support", [studied]), genre=GENRE)
    assert refused.abstained and "没有写明所问的金额" in refused.answer and refused.citations
    assert not compose(_context("境外人才的个人所得税政策，政府给不给钱？", "support", [studied]),
                       genre=GENRE).abstained
    eased = _view("p1.m3", "金融开放", "放宽金融机构外资持股比例，拓宽外资金融机构业务经营范围。")
    assert not compose(_context("外资金融机构的持股比例有没有放宽？", "general", [eased]), genre=GENRE).abstained
    shared = compose(_context("外资金融机构的持股比例是多少？", "general", [eased]), genre=GENRE)
    assert shared.abstained and "没有写明所问的比例" in shared.answer
    stated = _view("p1.m3", "金融开放", "外资金融机构持股比例不超过51%。")
    assert not compose(_context("外资金融机构的持股比例是多少？", "general", [stated]), genre=GENRE).abstained


def test_a_rate_asked_is_a_share_and_a_face_value_an_amount():
    """贷款利率具体是多少 asks a rate: a clause on the loan's amount (最高可贷100万元) does not answer it,
    one writing the rate as a percentage or by the rate it follows does. 一张面值多少 asks an amount."""
    amount = _view("p1.m4", "提高住房公积金贷款额度", "夫妻双方正常缴存的，住房公积金最高可贷额度调整为100万元。")
    question = "用住房公积金贷款买首套房，贷款利率具体是多少？"
    refused = compose(_context(question, "general", [amount]), genre=GENRE)
    assert refused.abstained and "没有写明所问的比例或利率" in refused.answer and refused.citations
    for said in ("首套住房公积金贷款利率为2.85%。", "首套住房贷款利率下限按全国政策执行。"):
        rated = _view("p1.m5", "调整首套住房贷款利率", said)
        assert not compose(_context(question, "general", [rated]), genre=GENRE).abstained, said
    assert asked_kind("家电消费券一张面值多少？", genre=GENRE)["unstated"] == "金额"


def test_a_clause_of_two_deadlines_is_quoted_whole_when_the_question_asks_both():
    """Each sentence of the clause states a deadline of its own step: asked one step, its sentence is
    quoted; asked both (前期手续和各项功能完善分别…), the other sentence says a word of the question
    the first does not (完善), and the clause is quoted whole."""
    v = _view("p1.m6", "物价信息服务平台", "53.建立电子化网络化的全市物价信息服务平台，7月底前完成项目前期手续，"
              "实现平台基础建设和重点功能。10月底完善平台各项功能，提升政府治理水平。")
    # found by the lexical signal alone (two signals agreeing on a clause quote its actions in order)
    both = compose(_context("物价信息服务平台的前期手续和完善各项功能，分别要求什么时候完成？", "general", [v],
                            signals=("bm25",)), genre=GENRE)
    assert "7月底前" in both.citations[0].quote and "10月底" in both.citations[0].quote, both.answer
    one = compose(_context("物价信息服务平台的项目前期手续要求什么时候完成？", "general", [v], signals=("bm25",)),
                  genre=GENRE)
    assert "7月底前" in one.citations[0].quote and "10月底" not in one.citations[0].quote, one.answer


def test_whether_one_must_is_answered_by_the_sentence_saying_the_obligation():
    """负责人要不要去答辩: of a clause's sentences sharing the question's words, the one ruling on the
    obligation (不需要…答辩) answers, not the one sharing one more word (…答辩评审的申报项目…负责人)."""
    must = asked_kind("项目负责人要不要去答辩？", genre=GENRE)
    assert must is not None and states_kind(must, "首轮评审不需要项目负责人进行答辩。", genre=GENRE)
    assert not states_kind(must, "对于未进入答辩评审的申报项目，及时将评审结果反馈项目申报单位和负责人。", genre=GENRE)
    v = _view("p1.m7", "项目申报评审", "专业机构在受理项目预申报后，组织形式审查，并开展首轮评审工作。首轮评审不需要项目负责人"
              "进行答辩。根据专家的评审结果，遴选出申报项目，进入下一步答辩评审。对于未进入答辩评审的申报项目，及时将评审"
              "结果反馈项目申报单位和负责人。" + FILLER)
    answer = compose(_context("交了预申报书以后的首轮评审，我这个项目负责人要不要去答辩？", "general", [v],
                              signals=("bm25",)), genre=GENRE)
    assert any("不需要项目负责人进行答辩" in c.quote for c in answer.citations), answer.answer


def test_whether_it_is_allowed_asked_by_a_bare_keyi_ma_is_answered_by_a_rule():
    """这样可以吗 / 可以吗 asks whether one may, as 能…吗 does: the sentence ruling on it (不能申报, 不得上市
    转让) answers."""
    for question in ("我是特邀咨评委委员，想自己申报项目，这样可以吗？", "过两年想卖掉换个大的，可以吗？"):
        kind = asked_kind(question, genre=GENRE)
        assert kind is not None and states_kind(kind, "特邀咨评委委员不能申报项目。", genre=GENRE), question
        assert not states_kind(kind, "项目申报单位应当如实填写申报书。", genre=GENRE)


def test_a_web_address_an_area_and_a_rate_asked_must_be_stated():
    """网址是多少 is stated by an address (www.…, .gov.cn), 面积有多大 by an area in its units, 覆盖率要达到
    多少 by a percentage, 基金规模有多大 by an amount, 打哪个电话 by a telephone number: a clause about the
    same thing stating none of them does not answer."""
    for question, said, unsaid in [
        ("申请公租房要登录的网站网址是多少？", "通过市住房保障部门网站（www.example.gov.cn）申请。", "申请人可以通过网上申请。"),
        ("综合保税区的规划面积有多大？", "综合保税区规划面积25.31平方公里。", "设立洋山特殊综合保税区。"),
        ("农作物耕种收综合机械化率要达到多少？", "主要农作物耕种收综合机械化率达到65%以上。", "推进农业机械化。"),
        ("科技成果转化基金规模有多大？", "设立规模5亿元的科技成果转化基金。", "设立科技成果转化基金。"),
        # a telephone number: an area code and number, or one after the words naming it, not any figure
        ("网上填报遇到技术问题打哪个电话？", "技术咨询电话：010-51666288（中继线）；",
         "项目申报单位网上填报预申报书的受理时间为：2018年8月20日8：00至9月25日17：00。"),
        ("开典当行的咨询电话是多少？", "| 联络方式 | 北京市地方金融监督管理局：88012363 |", "| 总投资 | 2622139 |"),
        # a share in words: 一半左右, 三分之一
        ("高职的规模要占高等教育多大比重？", "高职院校招生规模占高等教育招生规模的一半左右。", "推进高等职业教育发展。"),
        ("中小企业要占多大比例？", "中小企业占比不低于三分之一。", "支持中小企业参与。"),
        # a multiple or a ratio is a share too (遴选出3~4倍于拟立项数量的项目, 按1:2的比例配套)
        ("首轮评审后按多大比例挑选项目进入答辩评审？", "根据专家的评审结果，遴选出3~4倍于拟立项数量的申报项目。",
         "对于未进入答辩评审的申报项目，及时将评审结果反馈申报单位。"),
        ("配套资金按多大比例给？", "按照1：2的比例给予配套资金。", "受理时间为8：00至17：00。"),
    ]:
        kind = asked_kind(question, genre=GENRE)
        assert kind is not None and kind.get("unstated") and re.search(kind["unstated_cue"], question), question
        assert states_kind(kind, said, genre=GENRE) and not states_kind(kind, unsaid, genre=GENRE), question


def test_a_time_written_without_a_number_states_a_span_or_a_deadline():
    """即时予以登记, 每半年考评一次 answer 多久; 在项目规划验收前全部缴清 and 每年12月底前 answer 最晚什么时候.
    "开公司好几年了" states the asker's situation and asks no span."""
    how_long = asked_kind("登记机关审完多久能拿到营业执照", genre=GENRE)
    assert states_kind(how_long, "对申请材料齐全、符合法定形式的，即时予以登记。", genre=GENRE)
    assert states_kind(how_long, "考评每半年开展一次。", genre=GENRE)
    assert not states_kind(how_long, "登记机关对申请材料进行形式审查。", genre=GENRE)
    by_when = asked_kind("缓缴的配套费最晚什么时候要交清", genre=GENRE)
    assert states_kind(by_when, "可延缓在办理商品房预售许可前缴纳50%，在项目规划验收前全部缴清。", genre=GENRE)
    assert states_kind(by_when, "试验区每年12月底前形成年度工作总结报告。", genre=GENRE)
    # a plan's year a task is done by (2020年…全部完成), not a year of a figure (2015年…达到16803亿元)
    by_year = asked_kind("园区生态化改造在哪年前全部完成？", genre=GENRE)
    assert states_kind(by_year, "2020年国家级园区全部完成生态化改造，自治区级园区全部启动生态化改造。", genre=GENRE)
    assert not states_kind(by_year, "2015年全区生产总值达到16803亿元。", genre=GENRE)
    # 几门 counts in 门 (掌握1门以上实用技术)
    skills = asked_kind("每户得学会几门技术？", genre=GENRE)
    assert skills is not None and skills.get("unit") == "门"
    assert states_kind(skills, "每个贫困农户掌握1门以上科学种养实用技术。", genre=GENRE)
    assert not states_kind(skills, "大力引进新品种，辐射带动贫困地区产业发展。", genre=GENRE)
    assert not states_kind(by_when, "开发企业可提出书面申请。", genre=GENRE)
    assert asked_kind("我在广州开公司好几年了，这种人才身份是哪些部门给认定的", genre=GENRE) is None


def test_the_date_a_period_runs_to_is_the_deadline_asked():
    """自本政策发布之日至2023年12月31日…的 and …起至2025年5月14日 say by when one must buy to get the
    subsidy: the standard way of writing the end of a period of application or validity answers
    "要在哪天之前买才算数" as 在…前 does; a date alone (2023年12月印发) is no deadline."""
    by_when = asked_kind("安康高新区的买房补贴，要在哪天之前买才算数？", genre=GENRE)
    assert states_kind(by_when, "自本政策发布之日至2023年12月31日在高新区购买新建商品房的，给予契税补贴。", genre=GENRE)
    assert states_kind(by_when, "2024年5月15日(含15日)起至2025年5月14日,凡在我市新购买新建商品住房的购房人，给予补贴。",
                       genre=GENRE)
    assert states_kind(by_when, "本措施执行期截至2024年底。", genre=GENRE)
    assert not states_kind(by_when, "本细则于2023年12月印发。", genre=GENRE)


def test_where_one_sees_what_is_published_is_stated_by_a_website_or_platform():
    """去哪里能看到公示 / 去哪个网站能查到: a sentence writing where it is published (在市X局网站上进行公示)
    states it; one giving how long it is published does not. Where one goes to apply is no such question."""
    where = asked_kind("审核通过以后去哪里能看到公示？", genre=GENRE)
    assert states_kind(where, "应将审核通过的人员情况在市人力资源社会保障局网站上进行公示。", genre=GENRE)
    assert not states_kind(where, "公示时间为5个工作日。", genre=GENRE)
    assert states_kind(asked_kind("我去哪个网站能查到自己的名字？", genre=GENRE), "在申办系统中查询审核结果。", genre=GENRE)
    assert asked_kind("应届生落户去哪里办？", genre=GENRE) is None


def test_which_office_of_a_department_is_stated_by_the_matters_contact_line():
    """找商务局哪个处 / 归哪个处室管: a guide names the office in the matter's contact line (联络方式 |
    北京市商务局储备调控处：55579559) or writes it with its telephone or address after a colon; the
    clause naming the department's duty states no office. 什么科技企业 asks no office."""
    office = asked_kind("北京农产品批发市场建设的资金支持，归商务局哪个处室管？", genre=GENRE)
    assert office is not None
    assert states_kind(office, "| 联络方式 | 北京市商务局储备调控处：55579559 |  |  |", genre=GENRE)
    assert states_kind(office, "工业和信息化部产业发展促进中心，寄送地址：北京市海淀区万寿路27号院8号楼。", genre=GENRE)
    assert not states_kind(office, "服务内容：1．市商务局负责认定跨国公司地区总部和外资研发总部。", genre=GENRE)
    assert states_kind(asked_kind("孵化器认定具体找市科委哪个处？", genre=GENRE),
                       "| 联络方式 | 北京市科学技术委员会高新技术与成果转化处：55578107 |", genre=GENRE)
    assert asked_kind("深圳有什么科技企业可以申请？", genre=GENRE) is None


def test_a_public_service_hotline_is_a_telephone_number():
    """打什么电话: a contact line giving a public service hotline (12333, 12345) states the number asked."""
    phone = asked_kind("想咨询打什么电话？", genre=GENRE)
    assert states_kind(phone, "| 联络方式 | 北京市人力资源和社会保障局：12333 |", genre=GENRE)
    assert states_kind(phone, "市民可拨打12345热线咨询。", genre=GENRE)
    assert not states_kind(phone, "全年新增就业123456人。", genre=GENRE)


GUIDE_ITEM = ("| 依据文件 | 《北京市技术先进型服务企业认定管理办法（2019年修订）》 |  |  |\n"
              "| 发文字号 | 京科发〔2019〕6号 |  |  |\n"
              "| 条件要求 | 申请单位应符合以下条件：在本市行政区域内注册的法人企业。 |  |  |\n"
              "| 服务流程 | 登录全国技术先进型服务企业业务办理管理平台填写登记表，提交申请材料。 |  |  |\n")


def test_a_line_only_naming_the_documents_a_measure_rests_on_is_no_quote_unless_the_basis_is_asked():
    """依据文件 | 《…管理办法》 repeats the item's name and says nothing of it: no sentence a question about
    the item is answered with — unless the question asks on what basis (依据什么文件)."""
    view = _view("g.m3", "北京市技术先进型服务企业认定", GUIDE_ITEM)
    asked = _context("北京技术先进型服务企业认定的服务流程是什么？", "general", [view])
    assert not any("依据文件" in s[2] for s in candidate_sentences(asked, view))
    basis = _context("北京技术先进型服务企业认定是依据什么文件？", "general", [view])
    assert any("依据文件" in s[2] for s in candidate_sentences(basis, view))


def test_the_row_labelled_with_what_is_asked_is_the_items_first_sentence():
    """得满足哪几条条件: the guide's row labelled 条件要求 holds the conditions, though the 服务流程 row repeats
    more of the item's name; 文件字号 is answered by the row labelled 发文字号. The labelled row leads its own
    item only: it ranks among other items by the item's best sentence."""
    view = _view("g.m3", "北京市技术先进型服务企业认定", GUIDE_ITEM)
    ctx = _context("想在北京认定技术先进型服务企业，得满足哪几条条件？", "general", [view])
    assert ranked_sentences(ctx, genre=GENRE)[0][2][2].startswith("| 条件要求")
    number = _context("北京技术先进型服务企业认定那条政策，依据的文件字号是多少？", "general", [view])
    assert ranked_sentences(number, genre=GENRE)[0][2][2].startswith("| 发文字号")


def test_a_percentage_a_thing_changes_by_is_no_sum_asked():
    """每个月具体是多少钱 is not answered by 最低工资标准平均上调15%: a percentage after a verb of change says
    how much something changes; a rate paid (按…的50%给予补贴, 提高到50%) or a sum still states it."""
    money = asked_kind("湖北最低工资调成三档以后，武汉那一档每个月具体是多少钱？", genre=GENRE)
    assert not states_kind(money, "将最低工资标准由现行四档调整为三档，最低工资标准平均上调15%左右。", genre=GENRE)
    assert not states_kind(money, "全市生产总值年均增长8%。", genre=GENRE)
    assert states_kind(money, "按实际缴纳契税的50%给予补贴。", genre=GENRE)
    assert states_kind(money, "补贴比例提高到50%。", genre=GENRE)
    assert states_kind(money, "给予一次性奖励10万元。", genre=GENRE)
