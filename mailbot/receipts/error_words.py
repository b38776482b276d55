"""A mailbox or server error as words for a coordinator: the Chinese sentence, never the library's English."""

from __future__ import annotations

import re

# What a raw socket/IMAP/SMTP error means, by the words the libraries use (checked in this order).
CLASSES = (
    (re.compile(r"AUTHENTICATIONFAILED|LOGIN failed|Authentication failed|authenticat|535", re.I), "服务器拒绝登录，账号或授权码有误或已失效"),
    (re.compile(r"Name or service not known|getaddrinfo|nodename nor servname|Temporary failure in name resolution", re.I), "无法解析服务器地址，请检查网络或服务器名称"),
    (re.compile(r"SSL|TLS|WRONG_VERSION_NUMBER|certificate", re.I), "加密连接失败，请检查端口与加密方式（SSL 或 STARTTLS）是否对应"),
    (re.compile(r"Connection refused|Errno 111", re.I), "连接被拒绝（服务器端口可能有误，或服务未开启）"),
    (re.compile(r"timed out|timeout", re.I), "连接超时，请检查网络"),
    (re.compile(r"Unsafe Login", re.I), "服务器以“不安全登录”为由拒绝，请在邮箱设置中允许第三方客户端"),
    (re.compile(r"\b5\.1\.[0-9]\b|user unknown|no such user|mailbox (?:unavailable|not found)|does not exist", re.I), "对方邮箱地址不存在或已停用"),
    (re.compile(r"\b5\.2\.2\b|mailbox full|quota", re.I), "对方邮箱已满"),
    (re.compile(r"spam|junk|\b5\.7\.1\b|content", re.I), "发信服务器认为邮件内容像垃圾邮件"),
    (re.compile(r"reset by peer|broken pipe|EOF|BYE|abort", re.I), "连接被服务器中断"),
)
_ASCII_TAIL = re.compile(r"[：:]\s*[^：:\u4e00-\u9fff]*[A-Za-z][^\u4e00-\u9fff]*$")
_ASCII_ASIDE = re.compile(r"（[^（）\u4e00-\u9fff]*[A-Za-z][^（）\u4e00-\u9fff]*）")


def error_words(raw: str) -> str:
    """The Chinese part of a recorded error, with the class of its English tail in words; "" stays ""."""
    if not raw:
        return ""
    chinese = _ASCII_ASIDE.sub("", _ASCII_TAIL.sub("", raw)).strip().rstrip("。")
    if not re.search(r"[\u4e00-\u9fff]", chinese):
        chinese = ""
    # The server's own English stays in the ledger and the log, where an operator reads it.
    meaning = next((words for pattern, words in CLASSES if pattern.search(raw)), "服务器的原始答复已记录，可请运维人员查看")
    return "：".join(p for p in (chinese, meaning) if p) if chinese != raw else raw
