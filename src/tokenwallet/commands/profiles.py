"""``tokenwallet profile …`` (who spends) and ``tokenwallet project …`` (for whom)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from tokenwallet.commands.common import CliError, Context, add_pin, check_name, require_pin
from tokenwallet.commands.i18n import _

if TYPE_CHECKING:
    from tokenwallet.commands.common import Parser, SubParsers


def register(sub: SubParsers, common: Parser) -> None:
    p = sub.add_parser("profile", help=_("profiles: who spends (a person, an agent)"), parents=[common])
    ps = p.add_subparsers(dest="action", metavar="ACTION")

    a = ps.add_parser("add", help=_("add a profile and print its wallet key (once)"), parents=[common])
    a.add_argument("name", help=_("the new profile's name"))
    a.add_argument("--role", default="member", help=_("member (default) or admin"))
    a.add_argument("--json", action="store_true", help=_("print {profile, key} as JSON"))
    add_pin(a)
    a.set_defaults(handler=profile_add)

    li = ps.add_parser("list", help=_("list profiles"), parents=[common])
    li.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    li.set_defaults(handler=profile_list)

    r = ps.add_parser("rename", help=_("rename a profile (its keys keep working)"), parents=[common])
    r.add_argument("name", help=_("the profile's name now"))
    r.add_argument("new_name", help=_("its new name"))
    add_pin(r)
    r.set_defaults(handler=profile_rename)

    k = ps.add_parser(
        "rotate-key", help=_("revoke a profile's wallet keys and print a new one (once)"), parents=[common]
    )
    k.add_argument("name", help=_("the profile"))
    k.add_argument("--project", metavar="NAME", help=_("bind the new key to a project"))
    k.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    add_pin(k)
    k.set_defaults(handler=profile_rotate_key)

    nk = ps.add_parser("new-key", help=_("an extra wallet key for a profile, printed once"), parents=[common])
    nk.add_argument("name", help=_("the profile"))
    nk.add_argument(
        "--project", metavar="NAME", help=_("calls with this key are charged to this project too")
    )
    nk.add_argument("--label", default="", help=_("a note to tell keys apart (e.g. 'laptop')"))
    nk.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    add_pin(nk)
    nk.set_defaults(handler=profile_new_key)

    ks = ps.add_parser("keys", help=_("a profile's wallet keys (first characters only)"), parents=[common])
    ks.add_argument("name", nargs="?", help=_("default: every profile"))
    ks.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    ks.set_defaults(handler=profile_keys)

    rk = ps.add_parser(
        "revoke-key", help=_("revoke one wallet key by its id (see 'profile keys')"), parents=[common]
    )
    rk.add_argument("key_id", type=int, help=_("the key's id, as 'profile keys' shows it"))
    add_pin(rk)
    rk.set_defaults(handler=profile_revoke_key)

    for verb, paused in (("pause", True), ("resume", False)):
        pp = ps.add_parser(
            verb,
            help=_("stop this profile's calls (refused by the proxy)") if paused else _("let it spend again"),
            parents=[common],
        )
        pp.add_argument("name", help=_("the profile"))
        add_pin(pp)
        pp.set_defaults(handler=profile_pause, paused=paused)

    j = sub.add_parser(
        "project", help=_("projects: for whom the tokens are spent (a client)"), parents=[common]
    )
    js = j.add_subparsers(dest="action", metavar="ACTION")
    ja = js.add_parser("add", help=_("add a project"), parents=[common])
    ja.add_argument("name", help=_("the project's name (what X-Tokenwallet-Project names)"))
    ja.add_argument("--client", default="", help=_("the client's name (free text)"))
    ja.add_argument("--contact", default="", help=_("how to reach the client (free text)"))
    ja.add_argument("--notes", default="", help=_("anything else to remember (free text)"))
    ja.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    add_pin(ja)
    ja.set_defaults(handler=project_add)
    jl = js.add_parser("list", help=_("list projects"), parents=[common])
    jl.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    jl.set_defaults(handler=project_list)


def _key_output(ctx: Context, profile: str, key: str, *, as_json: bool, what: str) -> None:
    if as_json:
        ctx.json({"profile": profile, "key": key})
        return
    ctx.print(f"{what}")
    ctx.print(_("Wallet key (shown only this once — keep it somewhere safe):"))
    ctx.print(key)


def profile_add(ctx: Context, args: argparse.Namespace) -> int:
    name = check_name(args.name, "profile")
    if args.role not in ("member", "admin"):
        raise CliError(_("unknown role {role} (member or admin)").format(role=repr(args.role)))
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "add a profile")
        profile, key = w.add_profile(name, role=args.role)
    _key_output(
        ctx, profile.name, key, as_json=args.json, what=_("Created profile {name}.").format(name=profile.name)
    )
    return 0


def profile_dict(p: Any) -> dict[str, Any]:
    return {"name": p.name, "role": p.role, "paused": bool(p.paused), "created_at": p.created_at.isoformat()}


def profile_list(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.wallet() as w:
        rows = [profile_dict(p) for p in w.profiles()]
    ctx.listing(
        args.json,
        rows,
        empty=_("No profiles yet. Add one with: tokenwallet profile add NAME"),
        headers=[_("profile"), _("role"), _("state"), _("created")],
        cells=lambda r: [
            r["name"],
            r["role"],
            _("paused") if r["paused"] else _("active"),
            r["created_at"][:10],
        ],
    )
    return 0


def profile_rename(ctx: Context, args: argparse.Namespace) -> int:
    old, new = check_name(args.name, "profile"), check_name(args.new_name, "profile")
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "rename a profile")
        w.rename_profile(old, new)
    ctx.print(_("Renamed profile {old} to {new}.").format(old=old, new=new))
    return 0


def profile_rotate_key(ctx: Context, args: argparse.Namespace) -> int:
    name = check_name(args.name, "profile")
    project = check_name(args.project, "project") if args.project else None
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "replace a profile's wallet keys")
        key = w.rotate_key(name, project=project)
    _key_output(
        ctx,
        name,
        key,
        as_json=args.json,
        what=_("Revoked the old wallet keys of {name}; the new one follows.").format(name=name),
    )
    return 0


def profile_new_key(ctx: Context, args: argparse.Namespace) -> int:
    name = check_name(args.name, "profile")
    project = check_name(args.project, "project") if args.project else None
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "add a wallet key")
        key = w.new_key(name, project=project, label=args.label)
    for_project = _(" (charged to project {project})").format(project=project) if project else ""
    what = _("New wallet key for {name}{for_project}.").format(name=name, for_project=for_project)
    _key_output(ctx, name, key, as_json=args.json, what=what)
    return 0


def profile_keys(ctx: Context, args: argparse.Namespace) -> int:
    name = check_name(args.name, "profile") if args.name else None
    with ctx.wallet() as w:
        keys = w.keys(name)
    rows: list[dict[str, Any]] = [
        {
            "id": k.id,
            "prefix": k.prefix,
            "profile": k.profile,
            "project": k.project,
            "label": k.label,
            "created_at": k.created_at.isoformat(),
            "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
        }
        for k in keys
    ]
    ctx.listing(
        args.json,
        rows,
        empty=_("No wallet keys."),
        headers=[_("id"), _("key"), _("profile"), _("project"), _("label"), _("created"), _("state")],
        cells=lambda r: [
            str(r["id"]),
            f"{r['prefix']}…",
            r["profile"],
            r["project"] or "",
            r["label"],
            r["created_at"][:10],
            _("revoked") if r["revoked_at"] else _("active"),
        ],
        right={0},
    )
    return 0


def profile_revoke_key(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "revoke a wallet key")
        w.revoke_key(args.key_id)
    ctx.print(_("Revoked wallet key #{id}: calls with it are refused from now on.").format(id=args.key_id))
    return 0


def profile_pause(ctx: Context, args: argparse.Namespace) -> int:
    name = check_name(args.name, "profile")
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "pause or resume a profile")
        w.set_profile_paused(name, args.paused)
    if args.paused:
        ctx.print(_("Profile {name} paused: its calls are refused.").format(name=name))
    else:
        ctx.print(_("Profile {name} resumed.").format(name=name))
    return 0


def project_dict(p: Any) -> dict[str, Any]:
    return {
        "name": p.name,
        "client": p.client,
        "contact": p.contact,
        "notes": p.notes,
        "archived": bool(p.archived),
        "created_at": p.created_at.isoformat(),
    }


def project_add(ctx: Context, args: argparse.Namespace) -> int:
    name = check_name(args.name, "project")
    fields = {"client": args.client, "contact": args.contact, "notes": args.notes}
    with ctx.wallet() as w:
        require_pin(ctx, w, args, "add a project")
        project = w.add_project(name, **fields)
    if args.json:
        ctx.json(project_dict(project))
    else:
        ctx.print(_("Created project {name}.").format(name=project.name))
    return 0


def project_list(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.wallet() as w:
        rows = [project_dict(p) for p in w.projects()]
    ctx.listing(
        args.json,
        rows,
        empty=_("No projects yet. Add one with: tokenwallet project add NAME"),
        headers=[_("project"), _("client"), "", _("created")],
        cells=lambda r: [
            r["name"],
            r["client"],
            _("archived") if r["archived"] else "",
            r["created_at"][:10],
        ],
    )
    return 0
