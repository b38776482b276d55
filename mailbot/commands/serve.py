"""`mailbot serve`: the coordinators' dashboard over HTTP (loopback by default; put a TLS proxy in front)."""

from __future__ import annotations

import sys

from mailbot.app import App
from mailbot.web import create_app
from mailbot.web.options import web_options
from mailbot.web.secret import ENV_SECRET, load_secret

ORDER = 40


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("serve", help="启动台账网页（默认仅本机访问 127.0.0.1:8080）")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    p.add_argument("--port", type=int, default=8080, help="监听端口（默认 8080）")
    p.add_argument("--secret-file", help=f"会话密钥文件（也可用环境变量 {ENV_SECRET} 或 {ENV_SECRET}_FILE）")
    p.add_argument("--session-hours", type=float, help="登录有效时长（小时，默认 8；也可在设置文件 [web] 中写 session_hours）")
    p.add_argument("--https", action="store_const", const=True, help="经 HTTPS 反向代理对外提供：会话 Cookie 加 Secure 标记并发送 HSTS（也可在 [web] 中写 https = true）")
    p.add_argument("--production", action="store_true", help="以生产用 WSGI 服务器（waitress）运行，而非开发用服务器（容器中即如此运行）")
    p.add_argument("--threads", type=int, default=8, help="生产模式的工作线程数（默认 8）")
    p.add_argument("--proxy-hops", type=int, help="前面有几层反向代理（信任其 X-Forwarded-For/-Proto，按真实客户端地址限制登录；也可写 proxy_hops）")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Serve until interrupted."""
    from werkzeug.serving import run_simple  # the development server; --production uses waitress

    secret, ephemeral = load_secret(args.secret_file)
    if ephemeral:
        print(f"提示：未设置会话密钥（{ENV_SECRET}），已临时生成；重启后需重新登录。", file=sys.stderr)
    app = App.from_args(args)
    settings = app.settings
    options = web_options(getattr(settings, "web", None), https=args.https, proxy_hops=args.proxy_hops, session_hours=args.session_hours)
    web = create_app(app, secret=secret, options=options)
    print(f"台账网页已启动：http://{args.host}:{args.port}/　按 Ctrl+C 停止。", flush=True)
    if args.production:
        from waitress import serve

        serve(web, host=args.host, port=args.port, threads=args.threads, ident="mailbot")
    else:
        run_simple(args.host, args.port, web, threaded=True, use_reloader=False, use_debugger=False)
    return 0
