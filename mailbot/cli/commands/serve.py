"""`mailbot serve`: the coordinators' dashboard over HTTP (loopback by default; put a TLS proxy in front)."""

from __future__ import annotations

import sys

from mailbot.app import App
from mailbot.errors import UsageError

ORDER = 40
ENV_SECRET = "MAILBOT_WEB_SECRET"  # mailbot.web.secret.ENV_SECRET, spelled here so that --help imports no Flask


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
    from mailbot.web import create_app
    from mailbot.web.options import web_options
    from mailbot.web.secret import load_secret

    secret, ephemeral = load_secret(args.secret_file)
    if ephemeral:
        print(f"提示：未设置会话密钥（{ENV_SECRET}），已临时生成；重启后需重新登录。", file=sys.stderr)
    app = App.from_args(args)
    settings = app.settings
    options = web_options(getattr(settings, "web", None), https=args.https, proxy_hops=args.proxy_hops, session_hours=args.session_hours)
    web = create_app(app, secret=secret, options=options)
    if args.production:
        serve_production(args, web)
        return 0
    server = bind(args.host, args.port, web)  # the port is ours before anything says the dashboard is up
    print(f"台账网页已启动：http://{args.host}:{args.port}/　按 Ctrl+C 停止。", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def serve_production(args, web) -> None:
    """Serve under waitress (a production WSGI server) on a socket bound first, so a port in use is said in Chinese."""
    from waitress import serve

    try:
        listening = listen(args.host, args.port)
    except OSError as exc:
        raise UsageError(bind_error(args.host, args.port, exc.errno)) from exc
    print(f"台账网页已启动（生产模式）：http://{args.host}:{args.port}/　按 Ctrl+C 停止。", flush=True)
    serve(web, sockets=[listening], threads=args.threads, ident="mailbot")


def bind(host: str, port: int, web):
    """A threaded HTTP server listening on host:port; a port in use or not ours to take is a Chinese UsageError."""
    from werkzeug.serving import make_server

    try:
        listening = listen(host, port)
    except OSError as exc:
        raise UsageError(bind_error(host, port, exc.errno)) from exc
    # Werkzeug given the socket never binds itself (it would print English and exit); it keeps a duplicate of it.
    with listening:
        return make_server(host, port, web, threaded=True, fd=listening.fileno())


def listen(host: str, port: int):
    """A socket bound to host:port and listening."""
    import socket

    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as http.server does: a restart need not wait
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def bind_error(host: str, port: int, code: int | None) -> str:
    """Why the dashboard could not listen on host:port, and what to do, in Chinese."""
    import errno

    if code is not None and code < 0:  # socket.gaierror: a name the resolver does not know
        return f"无法解析监听地址 {host}。请用 --host 指定本机地址（如 127.0.0.1，或 0.0.0.0 表示所有地址）。"
    if code == errno.EADDRINUSE:
        return f"端口 {port} 已被占用（{host}），台账网页未启动。请先停止占用该端口的程序（可用 ss -ltnp 查看），或用 --port 换一个端口。"
    if code == errno.EACCES:
        return f"无权监听端口 {port}：1024 以下的端口需要管理员权限。请用 --port 指定 1024 以上的端口（如 8080），并由反向代理对外提供。"
    if code in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
        return f"本机没有地址 {host}，无法在其上监听。请用 --host 指定本机地址（如 127.0.0.1，或 0.0.0.0 表示所有地址）。"
    return f"无法在 {host}:{port} 上监听（系统错误代码 {code}），台账网页未启动。请检查 --host 和 --port。"
