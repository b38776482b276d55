"""`mailbot dev-seed`: put the sample inbox into a development mail server over SMTP (docker compose --profile dev)."""

from __future__ import annotations

from mailbot.app import App

ORDER = 95


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("dev-seed", help="开发用：把内置示例邮件经 SMTP 投递到本地测试邮件服务器（切勿指向真实邮箱）")
    p.add_argument("--smtp-host", default="localhost", help="测试邮件服务器地址（默认 localhost）")
    p.add_argument("--smtp-port", type=int, default=3025, help="测试邮件服务器的 SMTP 端口（默认 3025，无加密、无登录）")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Deliver every sample message to its office inbox, as the departments would have sent it."""
    import smtplib
    from email import message_from_bytes, policy
    from email.utils import parseaddr

    from mailbot.demo.inbox import demo_inbox

    samples = demo_inbox(App.from_args(args).campaign)
    with smtplib.SMTP(args.smtp_host, args.smtp_port, timeout=30) as client:
        for sample in samples:
            sender = parseaddr(str(message_from_bytes(sample.raw, policy=policy.default)["From"]))[1]
            client.sendmail(sender, [sample.mailbox], crlf(sample.raw))
    print(f"已向 {args.smtp_host}:{args.smtp_port} 投递 {len(samples)} 封示例邮件。")
    return 0


def crlf(raw: bytes) -> bytes:
    """Line ends as SMTP wants them: smtplib sends bytes untouched, and a bare-LF message is one long line."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
