"""The corpus: messages written the ways offices write them, each with the verdict a coordinator would give it.

Correct returns are written many ways (dates, ticks, merged or not, blank and note rows, explanations in the
headers, WPS files, Word tables); errors are planted where a department really makes them, each expected at
its row and column. Contact details come in every shape the offices use, and signatures, quoted mail and thanks
come where they really do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from routing.model.campaign import Campaign
from tests.support.corpus import files as f
from tests.support.corpus.clients import DOCX, PNG, XLSX, Quoted, message, reminder_text
from tests.support.corpus.rows import A1, A2, A3, rows
from tests.support.hostile_files import LAUGHS, part, rezip, with_doctype

BIANBAN, ZWFW = "794605082@qq.com", "xamzfw@126.com"
ZIP = "application/zip"
TZ = dt.timezone(dt.timedelta(hours=8))
WANG = {"name": "王五", "position": "办公室主任", "phone": "0482-8261234"}


@dataclass
class Case:
    """One message and the verdict it must get."""

    name: str
    client: str
    unit: str
    sender: str
    mailbox: str
    subject: str
    text: str
    files: tuple = ()
    quote: Quoted | None = None
    day: int = 10
    outcome: str = "accepted"
    forms: dict[str, str] = field(default_factory=dict)  # kind → accepted | invalid
    errors: set[tuple] = field(default_factory=set)  # (kind or "file", row, column, code) of every error expected
    contact: dict | None = None
    reason: str | None = None
    tags: tuple[str, ...] = ()
    html: str | None = None  # an HTML alternative of the sender's own making

    @property
    def received(self) -> dt.datetime:
        """When it arrived (Asia/Shanghai): the plan stage in early January, the lists later."""
        return dt.datetime(2023, 1, self.day, 9, 30, tzinfo=TZ)

    @property
    def raw(self) -> bytes:
        """The message as its client wrote it."""
        return message(self.client, self.sender, self.mailbox, self.subject, self.received, self.text, quote=self.quote,
                       files=self.files, name=self.unit, html=self.html)


def _reminder(unit: str) -> Quoted:
    return Quoted(ZWFW, "盟行政审批和政务服务局", dt.datetime(2023, 1, 3, 9, 0, tzinfo=TZ), "【催报】请于2023年1月4日前报送实施方案、联络人",
                  reminder_text(unit))


def _receipt(unit: str) -> Quoted:
    text = (f"{unit}：\n\n您好！2023年1月9日10时发送至 xamzfw@126.com 的邮件已收到并登记，收件编号：政务服务局〔2023〕收字第0012号。"
            "经检查，部分材料需要修改。\n\n1. 附件3《保留职权事项及减环节、减材料、减时限清单》（文件：附件3.xlsx）：需修改（1处问题）。\n"
            "   （1）单元格N6：第1行“现办理时限”（25个工作日）超过了“原办理时限”（20个工作日），请核对。\n\n"
            "如有疑问，请联系盟行政审批和政务服务局齐丹丹同志，电话：0482-8288095。\n如内容涉密，不要发邮箱，请使用光盘报送。")
    return Quoted(ZWFW, "盟行政审批和政务服务局", dt.datetime(2023, 1, 9, 10, 5, tzinfo=TZ), "回复：附件3", text)


def corpus(campaign: Campaign) -> list[Case]:
    """Every message of the corpus, in the order they arrive."""
    return [*_forms(campaign), *_word_forms(campaign), *_planted(campaign), *_contacts(campaign), *_more_contacts(campaign),
            *_not_returns(campaign), *_big_and_broken(campaign)]


def _forms(c: Campaign) -> list[Case]:
    """Correct 附件1–3 in Excel and WPS, written many ways."""
    a1, a2, a3 = c.form("attachment1"), c.form("attachment2"), c.form("attachment3")
    L = f.Layout
    ok3 = {"attachment3": "accepted"}
    cases = [
        Case("附件3，通知原样，日期写作2023年1月10日", "qq", "兴安盟教育局", "jyj@example.com", ZWFW, "教育局附件3", "附件3请查收。",
             (("附件3-兴安盟教育局.xlsx", f.form_xlsx(a3, "兴安盟教育局", rows(A3)), XLSX),), forms=ok3, tags=("xlsx",)),
        Case("附件3，日期2022.12.20，勾选写作✓", "126", "兴安盟财政局", "czj@example.com", ZWFW, "财政局保留职权事项清单", "政务服务局：\n附件为我局附件3，请查收。\n兴安盟财政局办公室",
             (("附件3.xlsx", f.form_xlsx(a3, "兴安盟财政局", rows(A3, 3), L(date="2022.12.20", tick="✓")), XLSX),), forms=ok3, tags=("xlsx", "date-dots", "tick")),
        Case("WPS：日期为序列号、格式31，维度A1，勾选☑", "foxmail", "兴安盟民政局", "mzj@example.com", ZWFW, "民政局附件3", "您好，附件3请查收，谢谢！",
             (("民政局附件3.xlsx", f.form_xlsx(a3, "兴安盟民政局", rows(A3, 2), L(date=44915, tick="☑", wps=True, labels_split=True)), XLSX),),
             forms=ok3, tags=("xlsx", "wps", "date-serial", "tick")),
        Case("勾选写“是”，表头下和行间有空行", "outlook", "兴安盟司法局", "sfj@example.com", ZWFW, "司法局附件3", "附件3请审阅。",
             (("司法局附件3.xlsx", f.form_xlsx(a3, "兴安盟司法局", rows(A3), L(tick="是", blank_after_header=2, blank_between=True)), XLSX),),
             forms=ok3, tags=("xlsx", "blank-rows", "tick")),
        Case("填表说明在表头上方，通知脚注抄在表下", "qq", "兴安盟公安局", "gaj@example.com", ZWFW, "公安局附件3", "请查收",
             (("附件3（公安局）.xlsx", f.form_xlsx(a3, "兴安盟公安局", rows(A3, 2), L(
                 notes_above=("填表说明：在事项类别处选择符合项划“√”即可。",),
                 footnotes=("注：1. 在事项类别处选择符合项划“√”即可。", "2. 某一事项可根据情况在简化办事程序、精简办事要件、压缩办事时限中选择一项或多项填写。",
                            "5. 此表政府部门报盟行政审批和政务服务局，联系人：齐丹丹，电话：0482-8288095。如内容涉密，不要发邮箱，请使用光盘报送。"))), XLSX),),
             forms=ok3, tags=("xlsx", "notes-rows", "footnote-contact")),
        Case("表头带括号说明", "126", "兴安盟人力资源和社会保障局", "rsj@example.com", ZWFW, "人社局附件3", "附件3见附件",
             (("附件3.xlsx", f.form_xlsx(a3, "兴安盟人力资源和社会保障局", rows(A3), L(header_suffix={
                 "事项依据": "（只填写文件名称、文号及具体条款）", "原办理时限": "\n（含法定及文件规定时限）", "压缩自然日/工作日": "(注明自然日或工作日)",
                 "事项名称": "（全称）"})), XLSX),), forms=ok3, tags=("xlsx", "header-explanation")),
        Case("表头合并单元格未合并，表格整体右下移一格", "outlook", "兴安盟自然资源局", "zrzyj@example.com", ZWFW, "附件3", "附件3",
             (("自然资源局附件3.xlsx", f.form_xlsx(a3, "兴安盟自然资源局", rows(A3, 2), L(merged=False, offset=(1, 1))), XLSX),),
             forms=ok3, tags=("xlsx", "unmerged")),
        Case("附件2，日期为日期单元格，下放写明承接主体", "qq", "兴安盟生态环境局", "sthjj@example.com", ZWFW, "生态环境局附件2", "附件2请查收。",
             (("附件2.xlsx", f.form_xlsx(a2, "兴安盟生态环境局", rows(A2), L(date=dt.datetime(2023, 1, 9), labels_split=True)), XLSX),),
             forms={"attachment2": "accepted"}, tags=("xlsx", "date-cell")),
        Case("附件2，勾选✔，表头用本单位写法（承接单位等）", "126", "兴安盟住房和城乡建设局", "zjj@example.com", ZWFW, "住建局附件2", "附件2",
             (("住建局附件2.xlsx", f.form_xlsx(a2, "兴安盟住房和城乡建设局", rows(A2), L(tick="✔", header_names={
                 "承接主体": "承接单位", "取消和下放的依据或理由": "取消或下放的依据或理由", "取消或下放后续措施": "取消和下放后续措施"})), XLSX),),
             forms={"attachment2": "accepted"}, tags=("xlsx", "header-alias")),
        Case("党群部门附件1，两格式标签", "foxmail", "中共兴安盟委员会宣传部", "xcb@example.org", BIANBAN, "宣传部附件1", "编办：附件1请查收。",
             (("附件1.xlsx", f.form_xlsx(a1, "中共兴安盟委员会宣传部", rows(A1), L(labels_split=True, unit_label="部门（单位）（盖章）", date="2023-01-06")), XLSX),),
             forms={"attachment1": "accepted"}, tags=("xlsx",)),
        Case("附件1–3在一个工作簿里，另有WPS空白Sheet", "outlook", "兴安盟交通运输局", "jtj@example.com", ZWFW, "交通运输局两优清单", "三张清单在一个文件里，请查收。",
             (("交通运输局两优清单.xlsx", f.workbook(
                 ("附件1", f.form_xlsx(a1, "兴安盟交通运输局", rows(A1, 2))), ("附件2", f.form_xlsx(a2, "兴安盟交通运输局", rows(A2, 2))),
                 ("附件3", f.form_xlsx(a3, "兴安盟交通运输局", rows(A3, 2))), ("Sheet2", b"")), XLSX),),
             forms={"attachment1": "accepted", "attachment2": "accepted", "attachment3": "accepted"}, tags=("xlsx", "one-workbook")),
        Case("即办、当场办结，“/”表示无", "qq", "兴安盟水利局", "slj@example.com", ZWFW, "水利局附件3", "附件3",
             (("附件3.xlsx", f.form_xlsx(a3, "兴安盟水利局", rows(A3, 2, r2={"现办理时限": "当场办结", "压缩自然日/工作日": "15个工作日",
                                                                              "原材料名称": "/", "现所需要的材料名称": "/"})), XLSX),),
             forms=ok3, tags=("xlsx",)),
        Case("精简/精减混写，压缩自然日（工作日）", "126", "兴安盟农牧局", "nmj@example.com", ZWFW, "农牧局附件3", "附件3",
             (("附件3.xlsx", f.form_xlsx(a3, "兴安盟农牧局", rows(A3), L(header_names={"精减的环节名称": "精简的环节名称", "精简方式": "精减方式",
                                                                                        "压缩自然日/工作日": "压缩自然日（工作日）"})), XLSX),),
             forms=ok3, tags=("xlsx", "header-alias")),
        Case("模板的空序号行和“...”行未删", "foxmail", "兴安盟商务局", "swj@example.com", ZWFW, "商务局附件2", "附件2",
             (("附件2.xlsx", f.form_xlsx(a2, "兴安盟商务局", rows(A2, 2), L(placeholder_rows=True)), XLSX),),
             forms={"attachment2": "accepted"}, tags=("xlsx",)),
        Case("附件3表后加了一列“联系人”", "outlook", "兴安盟文化旅游体育局", "wlj@example.com", ZWFW, "文旅局附件3", "附件3",
             (("附件3.xlsx", f.form_xlsx(a3, "兴安盟文化旅游体育局", rows(A3, 2), L(extra_columns=(("联系人", ("张三 13800000001", "张三")),))), XLSX),),
             forms=ok3, tags=("xlsx", "form-contact")),
        Case("附件2、附件3打包成zip", "qq", "兴安盟卫生健康委员会", "wjw@example.com", ZWFW, "卫健委清单", "附件2、附件3压缩包请查收",
             (("卫健委两优清单.zip", f.zip_of(("附件2.xlsx", f.form_xlsx(a2, "兴安盟卫生健康委员会", rows(A2, 2))),
                                           ("附件3.xlsx", f.form_xlsx(a3, "兴安盟卫生健康委员会", rows(A3, 2)))), ZIP),),
             forms={"attachment2": "accepted", "attachment3": "accepted"}, tags=("zip", "xlsx")),
        Case("压缩天数写成公式（WPS保存，无缓存值）", "foxmail", "兴安盟信访局", "xfj@example.com", ZWFW, "信访局附件3（公式）", "附件3",
             (("附件3.xlsx", f.form_xlsx(a3, "兴安盟信访局", rows(A3, 2, r1={"原办理时限": 20, "现办理时限": 5, "压缩自然日/工作日": "=M6-N6"})), XLSX),),
             day=13, forms=ok3, tags=("xlsx", "formula")),
        Case("单位名称写简称（别名）", "126", "兴安盟退役军人事务局", "tyjrj@example.com", ZWFW, "附件3", "附件3",
             (("附件3.xlsx", f.form_xlsx(a3, "盟退役军人局", rows(A3, 1)), XLSX),), forms=ok3, tags=("xlsx",)),
    ]
    return cases


def _word_forms(c: Campaign) -> list[Case]:
    """The forms as Word tables, with the lines offices put around them."""
    a1, a2, a3 = c.form("attachment1"), c.form("attachment2"), c.form("attachment3")
    footnote = "注：此表报盟委编办，联系人：苏旭，电话：0482-8267388。纸质版报送盟党政综合楼1341室，电子版发送邮箱794605082@qq.com。"
    return [
        Case("Word附件1，通知原样", "126", "中共兴安盟委员会组织部", "zzb@example.org", BIANBAN, "组织部附件1", "附件1请查收",
             (("附件1.docx", f.form_docx(a1, "中共兴安盟委员会组织部", rows(A1), after=(footnote,)), DOCX),),
             forms={"attachment1": "accepted"}, tags=("docx", "footnote-contact")),
        Case("Word附件3，合并表头，勾选✓", "foxmail", "兴安盟应急管理局", "yjj@example.com", ZWFW, "应急管理局附件3", "附件3",
             (("附件3.docx", f.form_docx(a3, "兴安盟应急管理局", rows(A3), tick="✓"), DOCX),), forms={"attachment3": "accepted"}, tags=("docx", "tick")),
        Case("Word附件2，脚注后有填表人和电话", "outlook", "兴安盟审计局", "sjj@example.com", ZWFW, "审计局附件2", "附件2",
             (("附件2.docx", f.form_docx(a2, "兴安盟审计局", rows(A2), after=("填表人：刘丽    联系电话：0482-8216688    审核人：赵军",)), DOCX),),
             forms={"attachment2": "accepted"}, tags=("docx", "form-contact")),
        Case("Word附件1，盖章行上写了联系人和电话", "qq", "中共兴安盟委员会统一战线工作部", "tzb@example.org", BIANBAN, "统战部附件1", "附件1",
             (("附件1.docx", f.form_docx(a1, "中共兴安盟委员会统一战线工作部", rows(A1, 2), before=("联系人：周敏  电话：13904829999",)), DOCX),),
             forms={"attachment1": "accepted"}, tags=("docx", "form-contact")),
        Case("Word附件3，表头带说明", "126", "兴安盟市场监督管理局", "scjgj@example.com", ZWFW, "市场监管局附件3", "附件3",
             (("附件3.docx", f.form_docx(a3, "兴安盟市场监督管理局", rows(A3, 2), header_suffix={"事项依据": "（文件名称、文号及具体条款）"}), DOCX),),
             forms={"attachment3": "accepted"}, tags=("docx", "header-explanation")),
    ]


def _planted(c: Campaign) -> list[Case]:
    """Real mistakes, each expected at its row and column (and nothing else)."""
    a1, a2, a3 = c.form("attachment1"), c.form("attachment2"), c.form("attachment3")
    L = f.Layout
    both = {"权责清单事项": "√", "内部管理事项": "√"}
    return [
        Case("附件2：第2行两类都勾，第1行缺依据", "qq", "兴安盟统计局", "tjj@example.com", ZWFW, "统计局附件2", "附件2",
             (("附件2.xlsx", f.form_xlsx(a2, "兴安盟统计局", rows(A2, r2=both, r1={"取消和下放的依据或理由": ""})), XLSX),),
             outcome="invalid", forms={"attachment2": "invalid"},
             errors={("attachment2", 2, "事项类别", "category-not-single"), ("attachment2", 1, "取消和下放的依据或理由", "missing-value")}, tags=("xlsx", "planted")),
        Case("附件3：第2行现办理时限长于原办理时限", "126", "兴安盟林业和草原局", "lcj@example.com", ZWFW, "林草局附件3", "附件3",
             (("附件3.xlsx", f.form_xlsx(a3, "兴安盟林业和草原局", rows(A3, r2={"现办理时限": "20个工作日", "压缩自然日/工作日": "-5个工作日"}),
                                       L(date="2023年1月9日", tick="✓")), XLSX),),
             outcome="invalid", forms={"attachment3": "invalid"},
             errors={("attachment3", 2, "现办理时限", "time-limit-not-reduced"), ("attachment3", 2, "压缩自然日/工作日", "not-a-duration")},
             tags=("xlsx", "planted")),
        Case("附件3：压缩天数与原、现时限之差不符", "foxmail", "兴安盟医疗保障局", "ybj@example.com", ZWFW, "医保局附件3", "附件3",
             (("附件3.xlsx", f.form_xlsx(a3, "兴安盟医疗保障局", rows(A3, r1={"压缩自然日/工作日": "5个工作日"}), L(wps=True, date=44936)), XLSX),),
             outcome="invalid", forms={"attachment3": "invalid"}, errors={("attachment3", 1, "压缩自然日/工作日", "reduction-mismatch")}, tags=("xlsx", "planted", "wps")),
        Case("附件1：第3行调整建议未填", "outlook", "中共兴安盟委员会政法委员会", "zfw@example.org", BIANBAN, "政法委附件1", "附件1",
             (("附件1.xlsx", f.form_xlsx(a1, "中共兴安盟委员会政法委员会", rows(A1, r3={"调整建议": ""}), L(blank_between=True)), XLSX),),
             outcome="invalid", forms={"attachment1": "invalid"}, errors={("attachment1", 3, "调整建议", "missing-value")}, tags=("xlsx", "planted")),
        Case("附件2：下放事项未写承接主体", "qq", "兴安盟能源局", "nyj@example.com", ZWFW, "能源局附件2", "附件2",
             (("附件2.xlsx", f.form_xlsx(a2, "兴安盟能源局", rows(A2, r1={"承接主体": ""})), XLSX),),
             outcome="invalid", forms={"attachment2": "invalid"}, errors={("attachment2", 1, "承接主体", "recipient-missing")}, tags=("xlsx", "planted")),
        Case("附件3：第3行三部分一项未填", "126", "兴安盟民族事务委员会", "mw@example.com", ZWFW, "民委附件3", "附件3",
             (("附件3.xlsx", f.form_xlsx(a3, "兴安盟民族事务委员会", rows(A3, 3, r3={k: "" for k in ("原办理环节", "现办理环节", "精减的环节名称",
                                         "精减环节方式", "原办理时限", "现办理时限", "压缩自然日/工作日")}), L(header_suffix={"事项依据": "（文件名称、文号）"})), XLSX),),
             outcome="invalid", forms={"attachment3": "invalid"},
             errors={("attachment3", 3, "简化办事程序/精减办事要件/压缩办事时限", "no-reduction-filled")}, tags=("xlsx", "planted", "header-explanation")),
        Case("Word附件3：第1行两类都勾", "foxmail", "兴安盟信访局", "xfj@example.com", ZWFW, "信访局附件3", "附件3",
             (("附件3.docx", f.form_docx(a3, "兴安盟信访局", rows(A3, 2, r1=both)), DOCX),),
             outcome="invalid", forms={"attachment3": "invalid"}, errors={("attachment3", 1, "事项类别", "category-not-single")}, tags=("docx", "planted")),
        Case("附件3：删去了“事项依据”列", "outlook", "兴安盟乡村振兴局", "xczxj@example.com", ZWFW, "乡村振兴局附件3", "附件3",
             (("附件3.xlsx", f.form_xlsx(a3, "兴安盟乡村振兴局", rows(A3, 2), L(drop_columns=("事项依据",))), XLSX),),
             outcome="invalid", forms={"attachment3": "invalid"}, errors={("attachment3", None, "事项依据", "missing-column")}, tags=("xlsx", "planted")),
    ]


def _contacts(c: Campaign) -> list[Case]:
    """The plan and the contact, in every shape offices send them (and the real gaps)."""
    leader_row = (["兴安盟发展和改革委员会“两优”专项行动联络人信息表"], ["单位", "分管领导", "职务", "联系电话", "承办科室", "联络人", "职务", "办公电话", "手机"],
                  ["兴安盟发展和改革委员会", "赵六", "副主任", "13904821111", "办公室", "王五", "办公室主任", "0482-8261234", ""])
    roles = (["类别", "姓名", "职务", "办公电话", "手机号码"], ["分管领导", "孙强", "副局长", "0482-8260001", "13904820001"],
             ["联络人", "王五", "办公室主任", "0482-8261234", ""])
    plan = {"plan": "accepted", "contact": "accepted"}
    return [
        Case("实施方案＋正文一行联络人", "qq", "中共兴安盟纪律检查委员会", "jw@example.org", BIANBAN, "关于报送“两优”专项行动实施方案的函",
             "编办：\n现将我委“两优”专项行动实施方案报上，请审阅。\n\n联络人：王五  职务：办公室主任  电话：0482-8261234\n\n中共兴安盟纪律检查委员会",
             (("两优实施方案.docx", f.plan_docx("中共兴安盟纪律检查委员会"), DOCX),), day=3, forms=plan, contact=WANG, tags=("body-contact", "plan")),
        Case("实施方案末段写联系人（职务在括号里）", "126", "中共兴安盟委员会党校", "dx@example.org", BIANBAN, "党校实施方案", "实施方案请审阅。",
             (("党校两优实施方案.docx", f.plan_docx("中共兴安盟委员会党校", closing=("联系人：王五（办公室主任），联系电话：0482-8261234。", "中共兴安盟委员会党校", "2023年1月3日")), DOCX),),
             day=3, forms=plan, contact=WANG, tags=("plan-contact",)),
        Case("实施方案内附联络人表", "foxmail", "中共兴安盟委员会直属机关工作委员会", "jggw@example.org", BIANBAN, "工委实施方案", "请查收。",
             (("实施方案.docx", f.plan_docx("中共兴安盟委员会直属机关工作委员会", closing=("附：联络人信息",),
                                          table=[["分管领导", "职务", "电话", "联络人", "职务", "电话"], ["钱进", "副书记", "13904825555", "王五", "办公室主任", "0482-8261234"]]), DOCX),),
             day=3, forms=plan, contact=WANG, tags=("plan-contact", "contact-table")),
        Case("实施方案＋单独的联络人表（分管领导在旁）", "outlook", "兴安盟发展和改革委员会", "fgw@example.com", ZWFW, "发改委实施方案及联络人",
             "现将我委实施方案及联络人信息表报上。", (("实施方案.docx", f.plan_docx("兴安盟发展和改革委员会"), DOCX), ("联络人信息表.xlsx", f.contact_xlsx(*leader_row), XLSX)),
             day=3, forms=plan, contact=WANG, tags=("contact-table", "xlsx")),
        Case("实施方案＋按人员类别分行的联络人表", "qq", "兴安盟科学技术局", "kjj@example.com", ZWFW, "科技局两优实施方案", "实施方案和联络人见附件",
             (("科技局实施方案.docx", f.plan_docx("兴安盟科学技术局"), DOCX), ("联络人.xlsx", f.contact_xlsx(*roles), XLSX)),
             day=3, forms=plan, contact=WANG, tags=("contact-table", "xlsx")),
        Case("实施方案＋联络人Word表，主题写“实施方案及联络人”", "126", "兴安盟工业和信息化局", "gxj@example.com", ZWFW, "工信局实施方案及联络人", "请审阅",
             (("工信局实施方案.docx", f.plan_docx("兴安盟工业和信息化局"), DOCX),
              ("工信局联络人.docx", f.contact_docx("兴安盟工业和信息化局“两优”专项行动联络人", table=[["姓名", "职务", "联系电话"], ["王五", "办公室主任", "0482-8261234"]]), DOCX)),
             day=3, forms=plan, contact=WANG, tags=("contact-table", "docx")),
        Case("只在正文报联络人：职务在括号里", "foxmail", "兴安盟行政公署办公室", "xsb@example.com", ZWFW, "行署办联络人", "联系人：王五（办公室主任），电话 0482-8261234",
             day=3, forms={"contact": "accepted"}, contact=WANG, tags=("body-contact",)),
        Case("只在正文报联络人：分行写，座机", "outlook", "兴安盟行政公署国有资产监督管理委员会", "gzw@example.com", ZWFW, "国资委两优联络人",
             "政务服务局：\n我委“两优”专项行动联络人如下：\n联络人：王五\n职务：办公室主任\n座机：0482-8261234\n\n兴安盟国资委", day=3,
             forms={"contact": "accepted"}, contact=WANG, tags=("body-contact",)),
        Case("只在正文报联络人：“如下”后不带标签", "qq", "兴安农垦集团", "nkjt@example.com", ZWFW, "农垦集团联络人", "现将我集团“两优”专项行动联络人报送如下：\n王五  办公室主任  0482-8261234",
             day=3, forms={"contact": "accepted"}, contact=WANG, tags=("body-contact",)),
        Case("只在正文报联络人：从Excel粘贴的表格", "126", "兴安盟经济技术开发区管理委员会", "jkq@example.com", ZWFW, "开发区联络人",
             "姓名\t职务\t联系电话\n王五\t办公室主任\t0482-8261234", day=3, forms={"contact": "accepted"}, contact=WANG, tags=("body-contact",)),
        Case("只发联络人表：两行表头（分管领导/联络人）", "foxmail", "乌兰浩特市人民政府", "wlht-zf@example.org", ZWFW, "乌兰浩特市政府联络人", "联络人表见附件",
             (("联络人.xlsx", f.contact_xlsx(["分管领导", None, None, "联络人", None, None], ["姓名", "职务", "电话", "姓名", "职务", "电话"],
                                           ["李华", "副市长", "13904826666", "王五", "办公室主任", "0482-8261234"], merges=("A1:C1", "D1:F1")), XLSX),),
             day=3, forms={"contact": "accepted"}, contact=WANG, tags=("contact-table", "xlsx")),
        Case("只发联络人表：竖排两列", "outlook", "阿尔山市人民政府", "aes-zf@example.org", ZWFW, "阿尔山市政府联络人", "附件为联络人",
             (("联络人.xlsx", f.contact_xlsx(["联络人", "王五"], ["职务", "办公室主任"], ["联系电话", "0482-8261234"]), XLSX),),
             day=3, forms={"contact": "accepted"}, contact=WANG, tags=("contact-table", "xlsx")),
        Case("回复催报：正文报联络人，下面引用催报（含齐丹丹电话）", "qq", "科尔沁右翼前旗人民政府", "kyqq-zf@example.org", ZWFW,
             "回复：【催报】请于2023年1月4日前报送实施方案、联络人", "您好，我旗联络人：王五，职务：办公室主任，电话：0482-8261234。实施方案近日报送。",
             quote=_reminder("科尔沁右翼前旗人民政府"), day=3, forms={"contact": "accepted"}, contact=WANG, tags=("body-contact", "quoted")),
        Case("实施方案＋签名式联系人（缺职务，真缺）", "126", "科尔沁右翼中旗人民政府", "kyzq-zf@example.org", ZWFW, "科右中旗政府实施方案", "实施方案请审阅。\n\n联系人：李明 13800000000",
             (("实施方案.docx", f.plan_docx("科尔沁右翼中旗人民政府"), DOCX),), day=3, outcome="invalid", forms={"plan": "accepted", "contact": "invalid"},
             errors={("contact", None, "职务", "contact-missing-field")}, contact={"name": "李明", "position": "", "phone": "13800000000"},
             tags=("body-contact", "planted")),
        Case("主题写报送联络人，正文缺职务", "foxmail", "扎赉特旗人民政府", "zlt-zf@example.org", ZWFW, "扎赉特旗政府报送“两优”联络人", "联系人：李明 13800000000",
             day=3, outcome="invalid", forms={"contact": "invalid"}, errors={("contact", None, "职务", "contact-missing-field")},
             contact={"name": "李明", "position": "", "phone": "13800000000"}, tags=("body-contact", "planted")),
        Case("联络人电话位数不对", "outlook", "突泉县人民政府", "tq-zf@example.org", ZWFW, "突泉县政府联络人", "联络人：王五\n职务：办公室主任\n电话：待定",
             day=3, outcome="invalid", forms={"contact": "invalid"}, errors={("contact", None, "电话", "contact-phone-invalid")},
             contact={"name": "王五", "position": "办公室主任", "phone": "待定"}, tags=("body-contact", "planted")),
        Case("实施方案只有一行标题", "qq", "中共兴安盟委员会政策研究室", "zys@example.org", BIANBAN, "政研室实施方案", "实施方案见附件",
             (("实施方案.docx", f.plan_docx("中共兴安盟委员会政策研究室", sections=0), DOCX),), day=3, outcome="invalid", forms={"plan": "invalid"},
             errors={("plan", None, None, "plan-empty")}, tags=("docx", "planted")),
    ]


def _more_contacts(c: Campaign) -> list[Case]:
    """More of the shapes: an Excel table pasted into QQ's HTML, a name only GBK has, several phones, a change of contact."""
    pasted = ('<div>编办：</div><div>我部“两优”专项行动联络人如下：</div><table border="1" cellspacing="0"><tr><td>姓名</td><td>职务</td>'
              '<td>办公电话</td><td>手机</td></tr><tr><td>王五</td><td>办公室主任</td><td>0482-8261234</td><td>13804822222</td></tr></table>'
              '<div>中共兴安盟委员会宣传部</div>')
    a1 = c.form("attachment1")
    return [
        Case("QQ正文里粘贴的Excel表格（HTML）", "qq", "中共兴安盟委员会宣传部", "xcb@example.org", BIANBAN, "宣传部联络人",
             "编办：\n我部“两优”专项行动联络人如下：\n姓名 职务 办公电话 手机\n王五 办公室主任 0482-8261234 13804822222\n中共兴安盟委员会宣传部",
             html=pasted, day=3, forms={"contact": "accepted"}, contact={**WANG, "phone": "0482-8261234、13804822222"}, tags=("body-contact",)),
        Case("Foxmail（GB2312）报联络人，名字是GBK字“喆”", "foxmail", "兴安盟残疾人联合会", "cl@example.net", BIANBAN, "残联联络人",
             "联络人：王喆\n职务：综合科科长\n手机：13904823333；座机：0482-8210000", day=3, forms={"contact": "accepted"},
             contact={"name": "王喆", "position": "综合科科长", "phone": "13904823333、0482-8210000"}, tags=("body-contact",)),
        Case("联络人变更", "outlook", "兴安盟工商业联合会", "gsl@example.net", BIANBAN, "关于变更联络人的说明",
             "因工作调整，我会“两优”专项行动联络人变更为乌云其其格同志（四级主任科员），联系电话13904820000。", day=3, forms={"contact": "accepted"},
             contact={"name": "乌云其其格", "position": "四级主任科员", "phone": "13904820000"}, tags=("body-contact",)),
        Case("联络人表缺职务（真缺，指到单元格）", "126", "中共兴安盟委员会办公室", "mwb@example.org", BIANBAN, "盟委办联络人",
             "联络人信息见附件", (("联络人.xlsx", f.contact_xlsx(["联络人", "职务", "联系电话"], ["王五", "", "0482-8261234"]), XLSX),), day=3,
             outcome="invalid", forms={"contact": "invalid"}, errors={("contact", None, "职务", "contact-missing-field")},
             contact={"name": "王五", "position": "", "phone": "0482-8261234"}, tags=("contact-table", "planted")),
        Case("实施方案文件名叫“两优.docx”，正文末尾写联络人和分管领导", "qq", "中共科尔沁右翼前旗委员会", "kyqq-qw@example.org", BIANBAN, "科右前旗委材料",
             "请审阅。", (("两优.docx", f.plan_docx("中共科尔沁右翼前旗委员会", closing=(
                 "分管领导：赵刚（旗委常委、办公室主任），电话：13904828888；联络人：王五（办公室主任），电话：0482-8261234。",)), DOCX),),
             day=3, forms={"plan": "accepted", "contact": "accepted"}, contact=WANG, tags=("plan-contact",)),
        Case("政府部门把附件1发到编办邮箱（正确去向）", "foxmail", "兴安盟教育局", "jyj@example.com", BIANBAN, "教育局附件1", "附件1请查收",
             (("附件1.xlsx", f.form_xlsx(a1, "兴安盟教育局", rows(A1), f.Layout(date=44936, wps=True)), XLSX),),
             forms={"attachment1": "accepted"}, tags=("xlsx", "wps", "date-serial")),
        Case("Word附件1，第2行调整依据未填", "outlook", "中共阿尔山市委员会", "aes-sw@example.org", BIANBAN, "阿尔山市委附件1", "附件1",
             (("附件1.docx", f.form_docx(a1, "中共阿尔山市委员会", rows(A1, r2={"调整依据或理由": ""})), DOCX),), outcome="invalid",
             forms={"attachment1": "invalid"}, errors={("attachment1", 2, "调整依据或理由", "missing-value")}, tags=("docx", "planted")),
        Case("“已收到，谢谢！”，126引用我们的回执", "126", "兴安盟红十字会", "hszh@example.net", BIANBAN, "回复：回复：附件1", "已收到，谢谢！",
             quote=_receipt("兴安盟红十字会"), day=11, outcome="ignored", tags=("ack", "quoted")),
    ]


def _not_returns(c: Campaign) -> list[Case]:
    """Signatures, thanks and quoted mail: none of them is a return, and thanks get no reply."""
    a2, a3 = c.form("attachment2"), c.form("attachment3")
    signature = "附件3请查收。\n\n联系人：李明 13800000000\n兴安盟发展和改革委员会办公室"
    return [
        Case("附件3下的签名“联系人：李明 手机”", "qq", "兴安盟发展和改革委员会", "fgw@example.com", ZWFW, "发改委附件3", signature,
             (("附件3.xlsx", f.form_xlsx(a3, "兴安盟发展和改革委员会", rows(A3, 2)), XLSX),), forms={"attachment3": "accepted"}, tags=("signature",)),
        Case("附件2下的签名含分管领导和电话", "126", "兴安盟科学技术局", "kjj@example.com", ZWFW, "科技局附件2",
             "附件2请查收。\n\n兴安盟科学技术局\n分管领导：孙强 13904820001\n经办人：王五 0482-8261234",
             (("附件2.xlsx", f.form_xlsx(a2, "兴安盟科学技术局", rows(A2, 2)), XLSX),), forms={"attachment2": "accepted"}, tags=("signature",)),
        Case("“收到”，QQ引用催报", "qq", "中共兴安盟委员会网络安全和信息化委员会办公室", "wxb@example.org", BIANBAN, "回复：【催报】请于2023年1月4日前报送实施方案、联络人",
             "收到", quote=_reminder("中共兴安盟委员会网络安全和信息化委员会办公室"), day=3, outcome="ignored", tags=("ack", "quoted")),
        Case("“好的，谢谢”，126引用催报", "126", "中共兴安盟委员会老干部局", "lgbj@example.org", BIANBAN, "回复：【催报】请于2023年1月4日前报送实施方案、联络人",
             "好的，谢谢", quote=_reminder("中共兴安盟委员会老干部局"), day=3, outcome="ignored", tags=("ack", "quoted")),
        Case("“收到！”带签名，Foxmail引用催报", "foxmail", "兴安盟总工会", "zgh@example.net", BIANBAN, "回复: 【催报】", "收到！\n\n兴安盟总工会办公室 刘丽\n13904827777",
             quote=_reminder("兴安盟总工会"), day=3, outcome="ignored", tags=("ack", "quoted")),
        Case("“谢谢”，Outlook带签名图片", "outlook", "兴安盟妇女联合会", "fl@example.net", BIANBAN, "RE: 【催报】", "谢谢！\n\n兴安盟妇联 王芳",
             (("image001.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, PNG),), quote=_reminder("兴安盟妇女联合会"), day=3, outcome="ignored", tags=("ack", "quoted")),
        Case("修改后的附件3，引用我们的回执（含第3行的问题说明）", "outlook", "兴安盟审计局", "sjj@example.com", ZWFW, "RE: 回复：附件3",
             "已按要求修改，请查收。", (("附件3（修改后）.xlsx", f.form_xlsx(a3, "兴安盟审计局", rows(A3, 2)), XLSX),), quote=_receipt("兴安盟审计局"),
             day=11, forms={"attachment3": "accepted"}, tags=("quoted", "xlsx")),
        Case("附件3备注里写了联系人", "126", "兴安盟公安局", "gaj@example.com", ZWFW, "公安局附件3（补充）", "补充一项",
             (("附件3.xlsx", f.form_xlsx(a3, "兴安盟公安局", rows(A3, 2, r2={"备注": "联系人：张三 13800000002"})), XLSX),),
             day=12, forms={"attachment3": "accepted"}, tags=("form-contact",)),
    ]


def _big_and_broken(c: Campaign) -> list[Case]:
    """Big-attachment links on hosts we do not know, and a workbook carrying an entity bomb."""
    good = f.form_xlsx(c.form("attachment3"), "共青团兴安盟委员会", rows(A3, 1))
    bomb = rezip(good, {"xl/workbook.xml": with_doctype(part(good, "xl/workbook.xml"), b"workbook", LAUGHS)})
    return [
        Case("超大附件链接（未知域名）", "qq", "兴安盟科学技术协会", "kx@example.net", BIANBAN, "科协附件1",
             "附件较大，已通过超大附件发送：\n附件1.xlsx (25M, 2023年1月24日到期)\nhttps://files.example.cn/ftn/d/8f3a2c", outcome="unsupported",
             reason="big-attachment-link", tags=("big-attachment",)),
        Case("网盘链接", "126", "兴安盟文学艺术界联合会", "wl@example.net", BIANBAN, "文联清单", "清单已上传网盘，下载地址 http://pan.example.org/s/1AbC 提取码：x7k2",
             outcome="unsupported", reason="big-attachment-link", tags=("big-attachment",)),
        Case("文件中转站", "foxmail", "兴安盟归国华侨联合会", "ql@example.net", BIANBAN, "侨联清单", "通过文件中转站发送：https://transfer.example.com/f/123 请查收",
             outcome="unsupported", reason="big-attachment-link", tags=("big-attachment",)),
        Case("XML实体炸弹工作簿", "outlook", "共青团兴安盟委员会", "tmw@example.net", BIANBAN, "团盟委附件3", "附件3",
             (("附件3.xlsx", bomb, XLSX),), outcome="unsupported", reason="unreadable-only", errors={("file", None, None, "hostile-file")},
             tags=("hostile",)),
    ]
