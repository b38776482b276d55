"""`mailbot campaign check FOLDER_OR_FILE | new FOLDER`: check a campaign file, or scaffold a new campaign folder."""

from __future__ import annotations

ORDER = 80


def register(sub) -> None:
    """Add the subcommand and its actions."""
    p = sub.add_parser("campaign", help="活动配置：检查配置文件，或新建活动文件夹")
    actions = p.add_subparsers(dest="action", metavar="操作", required=True)
    check = actions.add_parser("check", help="检查活动配置（文件夹或 campaign.toml），逐条列出错误及所在行和键")
    check.add_argument("target", nargs="?", metavar="文件夹或文件", help="不填则检查 --campaign 或默认的活动配置")
    check.set_defaults(handler=run_check)
    from mailbot.campaigns.scaffold import add_new_parser

    add_new_parser(actions)


def run_check(args) -> int:
    """Print every fault (file, line, key, what) and exit 1, or say the file is right and exit 0."""
    from mailbot.campaigns.files import check_file, resolve
    from mailbot.config import campaign_path, load_campaign

    target = resolve(args.target or campaign_path(args.campaign))
    faults = check_file(target)
    for line in faults:
        print(line)
    if faults:
        print(f"\n检查完成：{target} 有 {len(faults)} 处错误，请逐条修改后重新运行 mailbot campaign check。")
        return 1
    campaign = load_campaign(target)
    tables = sum(f.layout == "table" for f in campaign.forms)
    print(f"检查通过：{target}（{len(campaign.offices)} 个办公室，{len(campaign.forms)} 项材料，其中表格 {tables} 项，"
          f"规则 {sum(len(f.rules) for f in campaign.forms)} 条）。")
    return 0
