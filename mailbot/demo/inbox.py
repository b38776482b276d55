"""The demo inbox: a dozen realistic messages from party and government units, good and bad."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from mailbot.demo.forms import form_xlsx, plan_docx
from routing.model.campaign import Campaign

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OLE_DOC = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504  # a legacy .doc header


@dataclass(frozen=True)
class Sample:
    """One demo message: who sends it, to which inbox, when, and the raw bytes."""

    title: str
    mailbox: str
    received_at: dt.datetime
    raw: bytes


def rows_attachment1() -> list[dict]:
    """Two filled rows of 附件1."""
    return [
        {"需要调整的职能职责": "政务服务事项办理指导", "调整建议": "移交盟行政审批和政务服务局统一指导", "调整依据或理由": "《兴安盟深化相对集中行政许可权改革实施方案》"},
        {"需要调整的职能职责": "行业统计数据汇总", "调整建议": "与统计部门共享数据，不再重复报送", "调整依据或理由": "一件事情原则上由一个部门负责"},
    ]


def rows_attachment2(bad: bool = False) -> list[dict]:
    """Filled rows of 附件2; ``bad`` ticks both 事项类别 columns in row 2 and omits a reason."""
    rows = [
        {"事项名称": "旗县级民办学校设立初审", "权责清单事项": "√", "取消和下放的依据或理由": "《国务院关于取消和下放一批行政许可事项的决定》（国发〔2020〕13号）", "承接主体": "各旗县市教育局", "取消或下放后续措施": "下放后加强事中事后监管"},
        {"事项名称": "年度工作总结重复报送", "内部管理事项": "√", "取消和下放的依据或理由": "与半年总结内容重复", "取消或下放后续措施": "取消后通过信息共享获取"},
    ]
    if bad:
        rows[1]["权责清单事项"] = "√"
        rows[0]["取消和下放的依据或理由"] = ""
    return rows


def rows_attachment3() -> list[dict]:
    """Filled rows of 附件3 with steps, materials and time limits reduced."""
    return [
        {"事项名称": "教师资格认定", "权责清单事项": "√", "原办理环节": "受理、审查、决定、送达", "现办理环节": "受理、审查决定", "精减的环节名称": "送达", "精减环节方式": "合并",
         "原材料名称": "申请表、身份证、学历证书、体检表", "现所需要的材料名称": "申请表、体检表", "精减的材料名称": "身份证、学历证书", "精简方式": "信息共享",
         "原办理时限": "20个工作日", "现办理时限": "10个工作日", "压缩自然日/工作日": "10个工作日", "事项依据": "《教师资格条例》（国务院令第188号）第十三条"},
        {"事项名称": "民办学校办学许可证换发", "权责清单事项": "√", "原办理时限": "15个工作日", "现办理时限": "5个工作日", "压缩自然日/工作日": "10个工作日", "事项依据": "《中华人民共和国民办教育促进法》第十八条"},
    ]


def _mail(sender: str, to: str, subject: str, when: dt.datetime, body: str, files=(), **headers) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"], msg["Message-ID"] = format_datetime(when), headers.pop("message_id", None) or make_msgid(domain=sender.split("@")[-1])
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    for filename, data, ctype in files:
        maintype, subtype = ctype.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def fits(campaign: Campaign) -> bool:
    """Whether these hand-written samples (the shipped campaign's offices and forms) fit ``campaign``."""
    return {"bianban", "zwfw"} <= set(campaign.offices) and {"plan", "contact", "attachment1", "attachment2", "attachment3"} <= set(campaign.kinds)


def demo_inbox(campaign: Campaign) -> list[Sample]:
    """The bundled sample inbox (generated, so it always matches the campaign's forms)."""
    tz = campaign.timezone
    bianban, zwfw = campaign.offices["bianban"].address, campaign.offices["zwfw"].address
    f1, f2, f3 = (campaign.form(k) for k in ("attachment1", "attachment2", "attachment3"))

    def at(month: int, day: int, hour: int = 10) -> dt.datetime:
        return dt.datetime(2022 if month == 12 else 2023, month, day, hour, 0, tzinfo=tz)

    dup_id = make_msgid(domain="example.com")
    samples = [
        ("盟委组织部报送实施方案和联络人", bianban, at(12, 28), "zzb@example.org", "关于报送“两优”专项行动实施方案的函",
         "编办：\n现将我部“两优”专项行动实施方案及联络人报上，请审阅。\n\n联络人：李明  职务：办公室主任  电话：0482-8211234\n中共兴安盟委员会组织部", [("组织部两优实施方案.docx", plan_docx("中共兴安盟委员会组织部"), DOCX)], {}),
        ("盟教育局报送附件3（合格）", zwfw, at(1, 10), "jyj@example.com", "盟教育局附件3保留职权事项清单",
         "政务服务局：\n附件为我局保留职权事项及减环节、减材料、减时限清单，请查收。\n兴安盟教育局", [("附件3-兴安盟教育局.xlsx", form_xlsx(f3, "兴安盟教育局", rows_attachment3()), XLSX)], {"message_id": dup_id}),
        ("盟财政局报送附件2（有错误）", zwfw, at(1, 11), "czj@example.com", "财政局取消和下放职权事项清单",
         "附件2请查收。", [("附件2.xlsx", form_xlsx(f2, "兴安盟财政局", rows_attachment2(bad=True)), XLSX)], {}),
        ("盟民政局把附件1发到了政务服务局（投错邮箱）", zwfw, at(1, 12), "mzj@example.com", "民政局附件1",
         "附件1请查收。", [("附件1-民政局.xlsx", form_xlsx(f1, "兴安盟民政局", rows_attachment1()), XLSX)], {}),
        ("团盟委逾期报送附件1和附件2", bianban, at(1, 20), "tmw@example.org", "团盟委两优清单（附件1、附件2）",
         "因年底工作较多，报送稍晚，敬请谅解。", [("团盟委附件1.xlsx", form_xlsx(f1, "共青团兴安盟委员会", rows_attachment1()), XLSX), ("团盟委附件2.xlsx", form_xlsx(f2, "共青团兴安盟委员会", rows_attachment2()), XLSX)], {}),
        ("名册外邮箱，表内写明单位（盟卫健委）", zwfw, at(1, 13), "wangfang1988@mail.example.net", "附件3",
         "请查收。", [("附件3.xlsx", form_xlsx(f3, "兴安盟卫生健康委员会", rows_attachment3()), XLSX)], {}),
        ("名册外邮箱，未写单位", zwfw, at(1, 13, 15), "someone@mail.example.net", "报送材料",
         "请查收附件。", [("清单.xlsx", form_xlsx(f3, "", rows_attachment3()), XLSX)], {}),
        ("主题标注【涉密】", bianban, at(1, 14), "gaj@example.com", "【涉密】关于报送有关事项的函",
         "（正文略）", [("材料.docx", plan_docx("兴安盟公安局"), DOCX)], {}),
        ("QQ 邮箱假期自动回复", bianban, at(1, 14, 11), "tjj@example.com", "自动回复：关于报送“两优”材料的提醒",
         "这是来自QQ邮箱的假期自动回复邮件。\n您好，我最近正在休假中，无法亲自回复您的邮件。", [], {}),
        ("旧版 .doc 附件", zwfw, at(1, 15), "sfj@example.com", "司法局实施方案",
         "实施方案见附件。", [("司法局实施方案.doc", OLE_DOC, "application/msword")], {}),
        ("盟教育局重复发送同一封邮件", zwfw, at(1, 10, 11), "jyj@example.com", "盟教育局附件3保留职权事项清单",
         "政务服务局：\n附件为我局保留职权事项及减环节、减材料、减时限清单，请查收。\n兴安盟教育局", [("附件3-兴安盟教育局.xlsx", form_xlsx(f3, "兴安盟教育局", rows_attachment3()), XLSX)], {"message_id": dup_id}),
        ("盟财政局修改后重新报送附件2", zwfw, at(1, 16), "czj@example.com", "财政局附件2（修改后）",
         "按回执要求修改后重新报送。", [("附件2（修改）.xlsx", form_xlsx(f2, "兴安盟财政局", rows_attachment2()), XLSX)], {}),
        ("只回复“收到”", bianban, at(1, 16, 11), "zzb@example.org", "回复：关于报送“两优”专项行动实施方案的函", "收到", [], {}),
    ]
    return [Sample(title, box, when, _mail(sender, box, subject, when, body, files, **hdrs)) for title, box, when, sender, subject, body, files, hdrs in samples]
