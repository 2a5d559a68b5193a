"""``gridstation profile …``: the shipped city profiles (region levels and workflow rules).

``profile list`` names them, ``profile show NAME`` prints one, ``profile diff NAME`` compares
it with the center, ``profile apply NAME`` puts it in force on an empty center (creating the
schema first if needed); on a center that already has regions or cases it prints the
difference and changes nothing.
"""

from __future__ import annotations

from gridstation import schema
from gridstation.store.db import make_engine


def cmd_list(args) -> int:
    from gridstation.admin.profiles import available

    for p in available():
        levels = " → ".join(lv.name for lv in p.levels)
        print(f"{p.name:<10} {p.title}  [{levels}]  {len(p.rules.positions)} positions")
    return 0


def cmd_show(args) -> int:
    from gridstation.admin.profiles import load_profile
    from gridstation.cases.rules import _ordered_states

    p = load_profile(args.name)
    print(f"{p.name}: {p.title}")
    if p.description:
        print(f"  {p.description}")
    print("levels: " + " → ".join(f"{lv.name} ({lv.key})" for lv in p.levels))
    print(f"re-check before closing: {'required' if p.rules.require_recheck else 'not required'}")
    print("positions:")
    for pos in p.rules.positions.values():
        extra = [f"role {pos.role}"]
        if pos.center:
            extra.append(pos.center)
        if pos.command_level:
            extra.append(f"commands {pos.command_level} cases")
        if pos.level:
            extra.append(f"sits at {pos.level}")
        if pos.reports:
            extra.append("reports " + "/".join(sorted(pos.reports)))
        if pos.self_handle:
            extra.append("self-handles")
        print(f"  {pos.key:<20}{pos.name}  ({', '.join(extra)})")
    print("rules (action: position [scope] states):")
    for g in sorted(p.rules.grants.values(), key=lambda g: (g.action, g.position)):
        print(f"  {g.action:<18}{g.position:<20}[{g.scope}] {', '.join(_ordered_states(g.states))}")
    print("approvals:")
    for (kind, pos), scope in sorted(p.rules.approvers.items()):
        print(f"  {kind:<18}{pos:<20}[{scope}]")
    return 0


def cmd_diff(args) -> int:
    from gridstation.admin.profiles import plan

    schema.upgrade(args.db)
    engine = make_engine(args.db)
    try:
        print("\n".join(plan(engine, args.name).lines()))
    finally:
        engine.dispose()
    return 0


def cmd_apply(args) -> int:
    from gridstation.admin.profiles import apply, plan

    schema.upgrade(args.db)
    engine = make_engine(args.db)
    try:
        p = plan(engine, args.name)
        print("\n".join(p.lines()))
        if not p.empty_center:
            print(f"nothing applied: the center already has {p.regions} regions and {p.cases} cases; a profile is "
                  "applied to an empty center only (edit the rules in 系统管理 → 流程配置)")
            return 1
        apply(engine, args.name, as_login=args.as_login)
        print(f"profile {p.profile.name} applied: {len(p.profile.levels)} levels, "
              f"{len(p.profile.rules.positions)} positions, {len(p.rule_changes)} rule settings changed")
        return 0
    finally:
        engine.dispose()


def register(sub) -> None:
    c = sub.add_parser("profile", help="city profiles: region levels and workflow rules").add_subparsers(
        dest="profile_command", required=True)
    c.add_parser("list", help="the shipped profiles").set_defaults(func=cmd_list)
    sh = c.add_parser("show", help="print a profile's levels, positions and rules")
    sh.add_argument("name", help="a profile name or a .toml file")
    sh.set_defaults(func=cmd_show)
    df = c.add_parser("diff", help="what applying a profile would change in this center")
    df.add_argument("name")
    df.set_defaults(func=cmd_diff)
    ap = c.add_parser("apply", help="put a profile in force on an empty center")
    ap.add_argument("name")
    ap.add_argument("--as", dest="as_login", help="the login named in the audit (optional)")
    ap.set_defaults(func=cmd_apply)
