"""decode_message on raw bytes as Chinese mail clients really send them (one test per quirk in QUIRKS.md)."""

from __future__ import annotations

import base64
import io
import zipfile
from email import message_from_bytes, policy

import pytest

from parsers.mail.attachment import Attachment
from parsers.mail.decode import decode_message
from parsers.mail.mimetext import decode_header_text, decode_param, normalise_charset
from parsers.problems import flatten
from parsers.safety.unzip import ZipLimits, unpack_zip

XLSX = b"PK\x03\x04xlsx-bytes"


def gbk(text: str) -> bytes:
    return text.encode("gbk")


def b64(data: bytes) -> bytes:
    return base64.b64encode(data)


def mail(*parts: bytes, boundary: bytes = b"BB") -> bytes:
    """A multipart/mixed message from raw part bytes (each part: its headers, a blank line, its body)."""
    head = (b"From: dept@example.test\r\nTo: 794605082@qq.com\r\nSubject: test\r\nMessage-ID: <t@example.test>\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + b"\"\r\n\r\n")
    return head + b"".join(b"--" + boundary + b"\r\n" + p + b"\r\n" for p in parts) + b"--" + boundary + b"--\r\n"


def attachment_part(disposition_or_type: bytes, data: bytes = XLSX) -> bytes:
    return disposition_or_type + b"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(data)


def names(raw: bytes) -> list[str]:
    return [a.filename for a in decode_message(raw).attachments]


TEXT = b"Content-Type: text/plain; charset=utf-8\r\n\r\n\xe8\xaf\xb7\xe6\x9f\xa5\xe6\x94\xb6"


def test_encoded_word_inside_quoted_filename_foxmail_outlook():
    word = b"=?GB2312?B?" + b64(gbk("附件1：部门职责事项清单.xlsx")) + b"?="
    raw = mail(TEXT, attachment_part(b'Content-Type: application/vnd.ms-excel; name="' + word + b'"\r\n'
                                     b'Content-Disposition: attachment; filename="' + word + b'"'))
    assert names(raw) == ["附件1：部门职责事项清单.xlsx"]


def test_unquoted_encoded_words_in_filename():
    # policy.default returns None for this one.
    words = b"=?gb2312?B?" + b64(gbk("附件2")) + b"?= =?gb2312?B?" + b64(gbk("流程.docx")) + b"?="
    raw = mail(attachment_part(b"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=" + words))
    assert names(raw) == ["附件2流程.docx"]


def test_gb2312_character_split_across_two_encoded_words():
    data = gbk("关于报送两优专项行动材料的函")
    first, second = data[:5], data[5:]  # byte 5 is the middle of 报
    subject = b"=?GB2312?B?" + b64(first) + b"?=\r\n =?GB2312?B?" + b64(second) + b"?="
    raw = b"From: a@example.test\r\nSubject: " + subject + b"\r\n\r\nbody\r\n"
    assert decode_message(raw).subject == "关于报送两优专项行动材料的函"
    # What policy.default makes of it (python/cpython#79728): the reason for our own decoder.
    assert str(message_from_bytes(raw, policy=policy.default)["Subject"]) != "关于报送两优专项行动材料的函"


def test_rfc2231_continuations_with_a_gbk_character_split_between_sections():
    encoded = "".join(f"%{byte:02X}" for byte in gbk("附件3政务服务事项.xlsx"))
    cut = encoded.index("%", 3 * 3 + 1)  # after the first byte of 件
    disposition = (f"Content-Disposition: attachment;\r\n filename*0*=gbk''{encoded[:cut]};\r\n"
                   f" filename*1*={encoded[cut:]}").encode()
    raw = mail(attachment_part(b"Content-Type: application/octet-stream\r\n" + disposition))
    assert names(raw) == ["附件3政务服务事项.xlsx"]


@pytest.mark.parametrize("label", ["gb2312", "GBK", "cp936", "x-gbk", "GB_2312-80"])
def test_charset_gb2312_with_gbk_only_characters(label):
    name = "朱镕基 王喆 李堃 张玥 刘珺"
    raw = (f"From: =?{label}?B?".encode() + b64(gbk(name)) + b"?= <Zhu@Example.Test>\r\n"
           + f"Content-Type: text/plain; charset={label}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n".encode()
           + gbk("联络人：王喆，电话：0482-8267388") + b"\r\n")
    decoded = decode_message(raw)
    assert (decoded.sender_name, decoded.sender) == (name, "zhu@example.test")
    assert decoded.body_text == "联络人：王喆，电话：0482-8267388"
    assert normalise_charset(label) == "gb18030"


def test_raw_8bit_gbk_headers_like_tencent_notifications():
    raw = (b"From: " + gbk("腾讯企业邮箱") + b" <10000@qq.com>\r\nSubject: " + gbk("编办：报送材料已收到")
           + b"\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=BB\r\n\r\n--BB\r\n"
           + attachment_part(b'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="'
                             + gbk("实施方案.docx") + b'"') + b"\r\n--BB--\r\n")
    decoded = decode_message(raw)
    assert (decoded.sender_name, decoded.subject) == ("腾讯企业邮箱", "编办：报送材料已收到")
    assert [a.filename for a in decoded.attachments] == ["实施方案.docx"]


def test_raw_8bit_utf8_header_is_read_as_utf8():
    raw = "Subject: 两优报送\r\n\r\nx".encode()
    assert decode_message(raw).subject == "两优报送"


def test_parts_named_only_by_content_type_name_or_inline_filename():
    raw = mail(TEXT,
               attachment_part(b'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name="a.xlsx"'),
               attachment_part(b'Content-Type: application/octet-stream\r\nContent-Disposition: inline; filename="b.docx"'))
    decoded = decode_message(raw)
    assert [(a.filename, a.data) for a in decoded.attachments] == [("a.xlsx", XLSX), ("b.docx", XLSX)]
    assert decoded.body_text == "请查收"


def test_forwarded_message_attachments_are_taken_as_inner():
    inner = mail(TEXT, attachment_part(b'Content-Type: application/octet-stream; name="fwd.xlsx"'), boundary=b"IN")
    raw = mail(b"Content-Type: text/plain; charset=utf-8\r\n\r\nforwarding",
               b"Content-Type: message/rfc822\r\n\r\n" + inner,
               attachment_part(b'Content-Type: application/octet-stream; name="own.xlsx"'))
    decoded = decode_message(raw)
    assert [(a.filename, a.inner) for a in decoded.attachments] == [("fwd.xlsx", True), ("own.xlsx", False)]
    assert decoded.body_text == "forwarding"


def test_base64_encoded_forwarded_message_is_still_opened():
    inner = mail(attachment_part(b'Content-Type: application/octet-stream; name="fwd.xlsx"'))
    raw = mail(b"Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(inner))
    assert [(a.filename, a.inner) for a in decode_message(raw).attachments] == [("fwd.xlsx", True)]


def make_zip(entries: dict[bytes, bytes], utf8: bool = False) -> bytes:
    """A zip whose entry names are stored as the given raw bytes (GBK from Windows, no UTF-8 flag)."""

    class RawName(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's hook)
            return self.raw_name, self.flag_bits | (0x800 if utf8 else 0)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = RawName(name.decode("latin-1"))
            info.raw_name, info.compress_type = name, zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def test_zip_with_gbk_entry_names_is_unpacked_one_level():
    archive = make_zip({gbk("附件1.xlsx"): XLSX, gbk("附件2.docx"): b"PK\x03\x04docx",
                        b"__MACOSX/._x": b"junk", b"inner.zip": b"PK\x05\x06"})
    raw = mail(TEXT, attachment_part(b'Content-Type: application/zip; name="returns.zip"', archive))
    decoded = decode_message(raw)
    assert [(a.filename, a.data, a.inner) for a in decoded.attachments] == [
        ("附件1.xlsx", XLSX, True), ("附件2.docx", b"PK\x03\x04docx", True)]
    assert [p.code for p in decoded.problems] == ["zip-nested"]


def test_zip_utf8_flagged_names_are_kept():
    archive = make_zip({"报表.xlsx".encode(): XLSX}, utf8=True)
    found, problems = unpack_zip(Attachment("a.zip", "application/zip", archive))
    assert ([a.filename for a in found], problems) == (["报表.xlsx"], [])


def test_zip_with_too_many_entries_is_refused_with_a_problem():
    archive = make_zip({f"{n}.xlsx".encode(): XLSX for n in range(6)})
    found, problems = unpack_zip(Attachment("many.zip", "application/zip", archive), ZipLimits(max_entries=5))
    assert found == [] and flatten(problems) == [(None, None, "zip-too-many-entries")]
    assert "超过5个" in problems[0].message


def test_zip_bomb_ratio_and_broken_zip():
    bomb = make_zip({b"a.xlsx": b"\0" * 1_000_000})
    assert [p.code for p in unpack_zip(Attachment("b.zip", "application/zip", bomb))[1]] == ["zip-suspicious"]
    assert [p.code for p in unpack_zip(Attachment("c.zip", "application/zip", b"PK\x03\x04broken"))[1]] == ["zip-unreadable"]


def test_html_only_body_becomes_text():
    raw = (b"Subject: x\r\nContent-Type: text/html; charset=gb2312\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           + b64(gbk("<html><head><style>p{}</style></head><body><p>各位好：</p><div>附件为&nbsp;报送材料</div></body></html>")))
    assert decode_message(raw).body_text == "各位好：\n附件为 报送材料"


def test_qq_and_netease_big_attachment_links_are_found_not_fetched():
    qq = ("从QQ邮箱发来的超大附件\n附件1.xlsx (35M, 2023年01月20日 10:00 到期)\n"
          "进入下载页面：https://mail.qq.com/cgi-bin/ftnExs_download?t=exs_ftn_download&k=abc&code=1")
    netease = ('<div>从网易163邮箱发来的超大附件</div><a class="bigattach-mailmaster-download" '
               'href="https://mail.163.com/large-attachment-download/index.html?p=X&amp;file=Y">下载</a>')
    raw = mail(b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + qq.encode(),
               b"Content-Type: text/html; charset=utf-8\r\n\r\n" + netease.encode())
    decoded = decode_message(raw)
    assert decoded.links == ["https://mail.qq.com/cgi-bin/ftnExs_download?t=exs_ftn_download&k=abc&code=1",
                             "https://mail.163.com/large-attachment-download/index.html?p=X&file=Y"]
    assert decoded.attachments == []


def test_screening_headers_date_and_sender():
    raw = (b"From: \"Dept One\" <Dept1@Example.TEST>\r\nReturn-Path: <>\r\nAuto-Submitted: auto-replied\r\n"
           b"Precedence: bulk\r\nList-Id: <x.example.test>\r\nX-Autoreply: yes\r\nIn-Reply-To: <a@b>\r\n"
           b"References: <a@b>\r\nDate: Tue, 10 Jan 2023 09:30:00 +0800\r\nMessage-ID: <m@example.test>\r\n"
           b"Subject: =?utf-8?B?" + b64("自动回复：收到".encode()) + b"?=\r\n\r\nx\r\n")
    decoded = decode_message(raw)
    assert (decoded.sender, decoded.sender_name, decoded.message_id) == ("dept1@example.test", "Dept One", "<m@example.test>")
    assert {k: decoded.headers[k] for k in ("Return-Path", "Auto-Submitted", "Precedence", "List-Id", "X-Autoreply",
                                            "In-Reply-To", "Subject")} == {
        "Return-Path": "<>", "Auto-Submitted": "auto-replied", "Precedence": "bulk", "List-Id": "<x.example.test>",
        "X-Autoreply": "yes", "In-Reply-To": "<a@b>", "Subject": "自动回复：收到"}
    assert decoded.date.isoformat() == "2023-01-10T09:30:00+08:00"
    assert decode_message(b"Date: nonsense\r\n\r\nx").date is None


def test_part_left_on_the_server_is_a_problem_unless_it_is_a_video():
    raw = mail(TEXT,
               b'Content-Type: application/octet-stream; name="big.xlsx"\r\nX-Mailbot-Omitted: 31457280\r\n\r\n',
               b'Content-Type: video/mp4; name="v.mp4"\r\nX-Mailbot-Omitted: 31457280\r\n\r\n')
    decoded = decode_message(raw)
    assert decoded.attachments == []
    assert [(p.code, p.file) for p in decoded.problems] == [("attachment-too-large", "big.xlsx")]


def test_nameless_inline_image_is_not_an_attachment_but_a_nameless_file_is():
    raw = mail(TEXT, attachment_part(b"Content-Type: image/png\r\nContent-ID: <sig>"),
               attachment_part(b"Content-Type: application/pdf"))
    assert names(raw) == ["附件1.pdf"]


def test_server_texts_and_params_decode_with_gb18030_fallback():
    assert decode_header_text(gbk("535 登录失败，请使用授权码")) == "535 登录失败，请使用授权码"
    assert decode_header_text(b"plain ascii") == "plain ascii"
    assert decode_param(("gb2312", "", gbk("镕.xlsx").decode("latin-1"))) == "镕.xlsx"
    assert decode_param('"C:\\fakepath\\x.xlsx"') == "C:\\fakepath\\x.xlsx"
    assert names(mail(attachment_part(b'Content-Type: application/octet-stream; name="C:\\\\fakepath\\\\x.xlsx"'))) == ["x.xlsx"]
