"""Why a mail server could not be reached or logged in to, for `mailbot doctor`: each failure class in Chinese with its fix."""

from __future__ import annotations

import os
import socket
import ssl

# The usual port of each protocol and security; a port of the other protocol is the commonest slip.
USUAL = {"IMAP": {"ssl": 993, "starttls": 143}, "SMTP": {"ssl": 465, "starttls": 587}}
OTHER = {"IMAP": "SMTP", "SMTP": "IMAP"}
ROLE = {"IMAP": "收件", "SMTP": "发信"}
# RFC 6761: names under these never resolve, and resolvers should say so without asking the network.
SPECIAL_USE = (".invalid", ".test", ".example")


def usual_ports(protocol: str) -> str:
    """“993（security = "ssl"）或 143（security = "starttls"）”."""
    return "或 ".join(f'{port}（security = "{security}"）' for security, port in USUAL[protocol].items())


def port_advice(server, protocol: str) -> str:
    """What is wrong with a port and security pair, judged from the usual ports alone ("" when nothing stands out)."""
    usual, other = USUAL[protocol], USUAL[OTHER[protocol]]
    if server.port in other.values() or server.port == 25:
        return f"端口 {server.port} 是 {OTHER[protocol]}（{ROLE[OTHER[protocol]]}）的端口；{protocol}（{ROLE[protocol]}）应使用 {usual_ports(protocol)}。"
    if server.security == "ssl" and server.port == usual["starttls"]:
        return f'端口 {server.port} 一般先明文连接再 STARTTLS：请改为 security = "starttls"，或改用端口 {usual["ssl"]}（security = "ssl"）。'
    if server.security != "ssl" and server.port == usual["ssl"]:
        return f'端口 {server.port} 要求连接即加密：请改为 security = "ssl"。'
    return ""


def is_special_use(host: str) -> bool:
    """Whether ``host`` is under a name RFC 6761 reserves as never resolving."""
    name = host.lower().rstrip(".")
    return any(name.endswith(suffix) or name == suffix[1:] for suffix in SPECIAL_USE)


def unresolvable(server, protocol: str) -> tuple[str, str]:
    """(detail, fix) for a server name that does not resolve."""
    return (f"无法解析服务器名称 {server.host}（域名不存在，或本机无法访问 DNS）",
            f"请核对设置文件中的 host 是否拼写正确（如 QQ 邮箱 imap.qq.com / smtp.qq.com，126 邮箱 imap.126.com / smtp.126.com），"
            f"并确认本机能解析外部域名（如 getent hosts {server.host}）。")


def root_cause(exc: BaseException) -> BaseException:
    """The innermost cause of a wrapped error (mailbot wraps library errors with ``raise … from exc``)."""
    seen = exc
    while seen.__cause__ is not None or (seen.__context__ is not None and not seen.__suppress_context__):
        seen = seen.__cause__ or seen.__context__
    return seen


def connect_failure(exc: BaseException, server, protocol: str) -> tuple[str, str]:
    """(detail, fix) for a server that could not be reached or spoke another security than configured."""
    cause, where, ports = root_cause(exc), f"{server.host}:{server.port}", port_advice(server, protocol)
    if isinstance(cause, socket.gaierror):
        return unresolvable(server, protocol)
    if isinstance(cause, ConnectionRefusedError):
        return (f"连接被拒绝：{where} 上没有服务在监听该端口",
                ports or f"请核对 port：{protocol}（{ROLE[protocol]}）通常为 {usual_ports(protocol)}；若端口无误，请确认服务器地址正确。")
    if isinstance(cause, ssl.SSLError):
        return _ssl_failure(cause, server, protocol, where, ports)
    if isinstance(cause, (TimeoutError, socket.timeout)):
        return (f"连接 {where} 超时（{server.timeout:g} 秒内无应答）",
                ports or "请检查本机网络和防火墙是否允许访问该端口（政务内网常需申请开通），以及 host、port 是否正确。")
    if isinstance(cause, (ConnectionResetError, EOFError)) or "abort" in type(cause).__name__.lower():
        return (f"{where} 接受连接后立即断开", ports or f"多为加密方式不符：请核对 security 与端口（{usual_ports(protocol)}）。")
    if isinstance(cause, OSError) and cause.errno is not None:
        return (f"无法连接 {where}：{os.strerror(cause.errno)}（错误代码 {cause.errno}）", ports or "请检查本机网络、host 和 port。")
    return (f"无法连接 {where}：{exc}", ports or f"请核对 host、port（{usual_ports(protocol)}）和 security。")


def _ssl_failure(cause: ssl.SSLError, server, protocol: str, where: str, ports: str) -> tuple[str, str]:
    if isinstance(cause, ssl.SSLCertVerificationError):
        return (f"{where} 的服务器证书无法验证（{cause.verify_message}）",
                "请确认 host 写的是邮箱服务商公布的服务器名称（证书上的名称），而不是 IP 地址或别名。")
    if server.security == "ssl":
        return (f"SSL 握手失败：{where} 在该端口没有使用 SSL 加密",
                ports or f'若服务器要求先明文连接再加密，请改为 security = "starttls"（{protocol} 通常为端口 {USUAL[protocol]["starttls"]}）；'
                f'否则请改用 SSL 端口 {USUAL[protocol]["ssl"]}。')
    return (f"加密协商失败：{where} 的 STARTTLS 未能完成", ports or f'请改为 security = "ssl" 并使用端口 {USUAL[protocol]["ssl"]}。')
