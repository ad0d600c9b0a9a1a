<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <source>budget #{envelope_id} no longer exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>whole wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> for {profile}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{model} costs {saving_pct} % less than {model2} for this period&apos;s calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The wallet cannot be opened.

{message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writes {value}: your desktop runs &apos;tokenwallet serve&apos; at login, so calls are metered even before this window opens. Untick to remove it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On macOS add &apos;tokenwallet serve&apos; as a Login Item (System Settings → General → Login Items) or a launchd agent; Token Wallet does not change your login items itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On Windows put a shortcut to &apos;tokenwallet serve&apos; in shell:startup (Win+R, type shell:startup); Token Wallet does not change your startup folder itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget {envelope} is at {used_pct} % (crossed {threshold_pct} %): {left} left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> {suggestion} would make it last longer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (session {session})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A call to {model} by {profile}{session} was {verb}: {message}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A call to {model} by {profile} was refused: {rstrip}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A call to {model} by {profile} was refused: budget {envelope} has {amount} left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> {suggestion} would fit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provider key (or local models)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A budget that blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A tool connected (a call seen)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A test call through the meter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claude Code speaks Anthropic&apos;s API.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Codex reads its base URL from its config.toml, not from the environment: use the run line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>aider reaches OpenAI and Anthropic models.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>llm (Simon Willison&apos;s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>llm uses the OpenAI SDK.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Python / Node SDK or another tool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any program using the official SDKs reads these variables.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the meter at {url} did not answer ({name__})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the provider answered but the meter recorded no call: see History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no spending yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>just started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this {word}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing spent {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>used up: calls will follow the limit action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at this pace you will run out on {day_words}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at this pace it lasts for years</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at this pace it runs out on {day_words}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live meter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profiles &amp; budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect your tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconcile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Household</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clients &amp; invoices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Showing:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause metering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>While paused, the proxy refuses every call with a clear message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Welcome and first steps…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whole wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume metering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — metering paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — {name}: no budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{tip} — {value}: {left} left ({value2})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metering is paused: the proxy refuses every call until you resume.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain for provider keys: {explanation}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>metering is off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:{color}&apos;&gt;●&lt;/span&gt; {short}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downgrade when over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downgrade instead of refusing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lift for this session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lift a guard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not lift the guard: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>session {session}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Guard #{guard_id} lifted for {where}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{text} Suggestion: {found}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>switch this budget to downgrade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not change the budget: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget {scope} ({value}) now downgrades to a cheaper model instead of refusing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token Wallet is still metering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open it or quit from the tray icon.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qt could not write {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is in use by another program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>may not be used by this user (ports below 1024 need administrator rights)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is not an address of this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot be used: {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>metering not started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starting the meter on {proxy_url} …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>restarting the meter …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port {port} is held by a Token Wallet proxy metering another wallet ({wallet}); pick another port in Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port {port} on {host} {port_trouble}; pick another port in Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the Token Wallet meter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>following {who} on this wallet at {proxy_url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>metering on {proxy_url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>metering is off: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Token Wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit (stops metering)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner PIN</source>
        <extracomment>Returns the PIN the owner typed for ``action``, or None when cancelled. Tests replace it.
----------
What :func:`guard_money_change` uses to ask; a test may swap it (``billing_pin.asker = …``).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The household owner&apos;s PIN or passphrase is needed to &lt;b&gt;{action}&lt;/b&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PIN or passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>repeat it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two PINs differ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>for</source>
        <extracomment>ScopeCombo data of the two entries that need these fields.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>type which {value}, e.g. {value2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a budget is for models by name or provider, not by tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No calls yet — connect a tool (Connect your tools) to see daily spend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing spent in the last 30 days yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Daily {what} by {group_by}, last {len} days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Daily {what} of profile {profile}, last {len} days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens of {profile} by model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share by {group_by}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a provider key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set a budget…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect a tool…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a test call…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Four steps from nothing to a metered call. Each one ticks itself off when the wallet shows it done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the welcome (F1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide this list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For good; the welcome stays under Help (F1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Get started — {count} of {len} done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#1a7f37; font-size:15px&apos;&gt;✓&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#57606a; font-size:15px&apos;&gt;○&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Markup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tax</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Currency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No clients yet — add one below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>short name used by keys, e.g. acme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoice currency units per USD — you set it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional: 50, or 5M tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Markup %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tax %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate per USD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cap period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Legal name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tax ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report and invoice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issue invoice…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No calls for this client in this range.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost (USD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your details on invoices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save my details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next invoice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the clients: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: nothing changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add client {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not added: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added client {name}. Give it a key with “New key…”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a client first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change client {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>make a key for client {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No key made: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A key for {name} (spent by {who}) is shown once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved your details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No report: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;, {first} – {last}: {calls:,} calls, {tokens:,} tokens — cost {m}, markup {m2}, tax {m3}, &lt;b&gt;total {m4}&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save invoice PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{pdf} is the wallet&apos;s own file: save somewhere else</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invoice {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No invoice: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issued invoice {number}: {pdf}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> and {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Energy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of what this budget has left that the call would take</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>too long</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{energy_wh:.3g} Wh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>over ({percent_text})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No {provider} key in the keychain: a provider you could add in Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{image_tokens:,} of them for images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs {need:,} of {context_window:,} tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>input {money} + output {output_tokens:,} tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs {amount} of {amount2} left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only providers with a key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Compare models&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{len} models, {keyed} with a key · double-click one to preview it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One command: tokenwallet run (Claude Code, Codex, aider, llm, any SDK program)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shell (OpenAI tools)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shell (Anthropic tools)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Python (openai SDK)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OK: {provider}/{model} answered through the proxy in {ms:.0f} ms; the call is in History.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed ({status_code}): {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paste this profile&apos;s tw-… key, or make a new one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New key for this profile…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sends a real one-token request through the proxy; it costs a fraction of a cent and is charged to this profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a profile first (Profiles &amp; budgets): each tool connects with a profile&apos;s key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> &lt;span style=&apos;color:{danger}&apos;&gt;(the meter is not running: {mode_text})&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings for profile &lt;b&gt;{name}&lt;/b&gt; (pick another in the bar above). Tools send their calls to the meter at &lt;b&gt;{proxy_url}&lt;/b&gt;{state}, which forwards them with your real provider key and charges this profile&apos;s budgets. The first lines need no key: &lt;tt&gt;tokenwallet run&lt;/tt&gt; gives each tool a key of its own for one session. For the others, paste a key below (keys are shown only when made).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a profile first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connect page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste this profile&apos;s key (or make a new one) to test with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: the meter at {url} did not answer ({exc}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>money</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No budgets yet. Create one under &lt;b&gt;Profiles &amp;amp; budgets&lt;/b&gt; to see gauges and forecasts here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Subscriptions&lt;/b&gt; — use imported from the tools&apos; logs, at API prices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the wallet: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile {profile}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;{who}&lt;/b&gt; — today {money} · {format_tokens} &amp;nbsp;|&amp;nbsp; last {len} days {money2} · {format_tokens2} · {total_calls:,} calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · subscription plans {money}/month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · no subscription plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last {len} days: metered {money} · imported {money2} (API-equivalent, {format_tokens}){plans} · together {money3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show all {count} budgets ({hidden} more)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show only the fullest budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens per Wh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Energy&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output tokens per watt-hour: more is greener. ~ marks an estimate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · computing energy for {pending:,} more calls…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{month}: no energy figures yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Electricity mix: {zone}{pending}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This month: &lt;b&gt;{wh_text}&lt;/b&gt; {ev_km_text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, {estimated_calls:,} estimated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{range_text} · {range_text2} CO₂e in the {zone} electricity mix · {calls:,} calls{estimated} · figures by ecologits{pending}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ecologits (its data for this model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>estimate: ecologits&apos; formulas for a model of this capability tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>estimate: your gpu_watts setting × the call&apos;s duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No energy figure (not computed yet, or not a text model ecologits can estimate)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{energy} · {co2} CO₂e ({zone} mix)
{get}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warns when over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>switches to a cheaper model when over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refuses calls when over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · unused rolls over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{used_pct} % used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{amount} carried over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{amount} top-ups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;{amount}&lt;/b&gt; available · spent {amount2} of {amount3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{amount} held by calls in flight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{format_tokens} used {when} · {held}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Envelope #{id}: {label}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(any)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model (exact)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No calls match these filters — widen the dates or clear the search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{total:,} calls match · {loaded:,} loaded (more load as you scroll) · Export writes every matching row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting to {name}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported {n:,} rows to {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cached in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audio · image · video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · estimated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · fallback price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (asked {requested_model})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forecast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cheaper choice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>May call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No members yet — add one under Add a member below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a household</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the owner&apos;s profile, e.g. mum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a PIN or a passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create household</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner PIN or passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner actions (the owner PIN is asked for each)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new member&apos;s name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5, $2.50 or 2M tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>their allowance: 5, $2.50 or 2M tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>adult (a warning at the limit instead of a hard stop)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>carry what is left into the next period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one-off bonus that lapses after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tier:small gpt-4o-mini … (* for any model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top up / bonus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move it to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set allowance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause / resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top up or move money</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models and key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statement CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statement PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statement for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change owner PIN…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the household: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> hard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change which models {name} may call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} may now call: {join}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{profile}&apos;s call to {model} was refused: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing changed: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not created: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Household created. Money changes now need the owner PIN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added {name}. Their key is shown once — put it in their tools.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give {name} a {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gave {name} a {what} of {amount}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change the allowance of {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}&apos;s allowance is now {amount} per {currentText}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>move {amount} from {src} to {dst}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moved {amount} from {src} to {dst}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} is {value}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>make a new key for {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new key for {name} is shown once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change the owner PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>choose the new owner PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The owner PIN is changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a member first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save statement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{path} is the wallet&apos;s own file: save somewhere else</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statement {name} {d:%Y-%m}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write the statement: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Note: {WEAK_PIN_NOTE}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Projects &amp;&amp; clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top-ups &amp;&amp; transfers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>thresholds are whole percentages like &apos;50, 80, 95&apos;, not {text!r}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>each threshold is a percentage between 1 and 100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>type an amount, e.g. 20 or 2M</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the amount must be more than zero</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warn at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No budgets yet — create one below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>20, $5.50, 2M tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>prepaid (no reset)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warn only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>downgrade to a cheaper model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warn at (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget (one per scope and period; saving an existing one updates it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a prepaid budget never resets, so there is nothing to roll over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change a budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved: {scope} gets {amount} per {value}, {action} when over. The proxy applies it to the next call.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>prepaid balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the budget to remove.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remove a budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed the {period} budget of {scope}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>10, $25, 1M tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expires on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. client prepaid 3 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add top-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top up (adds to the budget of that scope)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5, 500k tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfer between budgets (all or nothing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Movement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No top-ups or transfers yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent movements (assignments, top-ups, transfers, rollovers, expiries)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the expiry date is in the past</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add a top-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, usable until {astimezone:%d %b %Y}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added {amount} to {scope}{until}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pick two different budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not moved: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>move money between budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not moved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spent this month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens this month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No profiles yet — create one below: each person or tool gets its own key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. alice, ci-agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename selected to this name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rotate key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revokes the selected profile&apos;s keys and shows a new one once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause / resume selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tier:small, gpt-4o*, anthropic/* … (empty: any model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>*opus*, openrouter/* …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refuse the call (403)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>switch to an allowed cheaper model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save model rules for selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the profile whose models to limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} may call: {may_call}. The proxy applies it within a second.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a name for the new profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add a profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created profile {name}. Its key is shown once — copy it now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the profile to rename in the table first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the new name in the Name field.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rename a profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not renamed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Renamed {old} to {new}; its keys keep working.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the profile whose key to rotate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replace a profile&apos;s keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key not rotated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rotated: {name}&apos;s old keys stop working now. The new key is shown once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a profile to pause or resume.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pause or resume a profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paused: its calls are refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (household default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No projects yet — add one below to bill a client.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. acme-site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New project / client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a name for the project.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add a project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created project {name}. Tag calls with the header X-Tokenwallet-Project: {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No calls yet. Point a tool at the proxy (see Connect) and its calls show up here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{len} running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} calls since the window opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{refused} refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usage invalid, charged the hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>over the output cap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no usage, estimated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>streaming…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused (402)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upstream error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · downgraded from {downgraded_from}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from {tool}&apos;s log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{money}/month · use from {tool} logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A plan you described (custom)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste a prompt here, open a file, or drop one on this box.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Cheaper models&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview with the cheapest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a prompt file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading {name}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} is the wallet&apos;s own file, not a prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} is {value} MB; the preview reads files up to 64 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} is counted from the file ({size:,} bytes); type here to preview a prompt instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} · {size:,} bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read {name}: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste a prompt to see what it will cost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
of which {format_tokens} for images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — an image URL counts at the largest size the model bills</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{format_tokens} in ({mark}) + {format_tokens2} out{images}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>counted with {method}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · no catalog price: fallback rates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>input {money} · prices: {price_source}{price_note}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} {title}: {amount} of {amount2} available ({share})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✘ {title}: nothing left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No cheaper model of the same kind for this prompt.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview with {model}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected output length cannot be negative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fits every budget that applies.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Would be refused: {envelope_title} cannot cover it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Would be switched to a cheaper model: {envelope_title} cannot cover it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Over {envelope_title}, which only warns: it would go through.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No budget applies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> to {profile}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: nothing limits this call.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain could not be read ({exc}): every model shows as &apos;no key&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>under 0.01 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{tier} tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> and {wh_text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}: {tier} for this prompt, saves {saving_pct} % ({money}){energy}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Difference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Likely cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare with provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare with a CSV export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only rows that differ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a provider and a month, then Check: its bill and the wallet side by side.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paste a read-only admin key for the provider above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save admin key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opt-in: the provider&apos;s figures come from its admin API with a read-only admin key kept in your keychain (&lt;code&gt;tokenwallet key set openai-admin&lt;/code&gt;, &lt;code&gt;anthropic-admin&lt;/code&gt;, &lt;code&gt;openrouter-admin&lt;/code&gt;), or from its console&apos;s CSV export. Days are UTC days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Admin key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking the provider…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>store a provider admin key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved the {name} key in {backend_name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: {e}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provider&apos;s usage/cost export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note: {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{total} row(s) compared, {shown} shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to compare in this period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(all models)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Burn rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Providers and their API keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paste the provider&apos;s API key (kept in the OS keychain, never in the wallet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys are kept in: {backend}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>local, no key needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:{danger}&apos;&gt;&lt;b&gt;No keychain&lt;/b&gt; (see the notice at the top).&lt;/span&gt; Until there is one, calls to providers that need a key cannot be forwarded; local providers (Ollama, LM Studio) work without one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:{danger}&apos;&gt;Keychain trouble: {exc}&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: pick or type a provider name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: the base URL starts with http:// or https://.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: the key contains spaces (paste only the key).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change a provider or its key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} is a new provider: give its base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving {name}&apos;s key in the keychain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {name}; its key is in {backend_name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no keychain (see the notice at the top)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} saved, but its key was not stored: {why}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remove a provider key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed {name}&apos;s key from the keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not removed: {e}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meter, display and defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>units of that currency per 1 USD, e.g. 0.92</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Units of the display currency per 1 USD. For CNY this is also the rate calls priced in yuan are booked at (tokenwallet fx).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refuse calls to models without a price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>charge fallback prices and mark them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fetch newer prices in the background (opt-in; never blocks start-up)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>import Claude Code, Codex and Gemini CLI usage from their logs continuously (what bypassed the meter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>start metering at login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meter address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Display currency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default warnings (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart the meter on the new address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the currency is a three-letter code like EUR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the currency rate must be more than zero</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the meter address cannot be empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give at least one warning threshold, e.g. 80</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change the wallet&apos;s settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>start at login not changed: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the meter moves to the new address when restarted (button below, or the next start); point your tools at it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>price updates </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on: newer prices are fetched in the background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log imports </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhooks are sent by the process that runs the meter (this app, or `tokenwallet serve`). ntfy: e.g. https://ntfy.sh/your-secret-topic and the ntfy app on the phone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Desktop notifications for budget warnings, guard trips and refused calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No alerts yet — add a webhook below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional secret header, e.g. Authorization: Bearer tk_… (keychain)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change desktop notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Desktop notifications {value}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add a webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added webhook #{id}. Send a test to check it reaches your phone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a webhook first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remove a webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (its header value stayed in the keychain: {problem})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed webhook #{id}.{note}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending a test to webhook #{id} …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook #{id} answered HTTP {status}: delivered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook #{id} answered HTTP {status}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Energy per call comes from ecologits; CO₂ from the electricity mix: an ISO country code (FRA, USA…), WOR for the world average or EEE for Europe; automatic uses the country of the wallet&apos;s time zone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Energy and CO₂</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save energy settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Electricity mix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU draw (Ollama, LM Studio)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>automatic: {zone_for_timezone} (from the time zone {tz})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: no electricity mix for {text!r} (an ISO code like FRA, or WOR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved: {energy_zone} mix, {value} W; applies to calls computed from now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>restart Token Wallet to switch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the wallet lives</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the database password (kept in the keychain), if it needs one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use this shared wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use this computer&apos;s file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer&apos;s file: {wallet_path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (from TOKENWALLET_WALLET_URL or --wallet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A shared PostgreSQL wallet: {redact}{how}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer now uses the shared wallet at {redact}: {RESTART}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reaching the database…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not switched: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer uses its own wallet file again ({wallet_path}): {RESTART}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some models…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A provider…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pick who this is for (whole wallet, a profile or a project)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New key for {profile}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is the key for &lt;b&gt;{profile}&lt;/b&gt;. It is shown &lt;b&gt;only now&lt;/b&gt;: the wallet keeps a hash, not the key. Copy it into your tool&apos;s settings (see Connect your tools).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provider key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Welcome to Token Wallet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;kip for now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sends the smallest call to &lt;b&gt;{provider_name}&lt;/b&gt; (one word out) with profile &lt;b&gt;{profile_name}&lt;/b&gt;&apos;s key through the meter at {proxy_url}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key has spaces in it: paste only the key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the keychain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste your {provider} API key (or choose local models).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{provider}&apos;s key is in {backend_name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key was not stored: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a budget is more than nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: {exc} (try $20).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: give the profile a name, e.g. me.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set a budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The meter is not running (see the notice in the main window).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The test call did not go through: {message}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>blocks calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your test call is in History.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile &lt;b&gt;{profile_name}&lt;/b&gt; has {strip} {currentText} and {action} when it is used up. {tested}&lt;br&gt;&lt;br&gt;Run your tool with the lines from step 3 (they are also on the Connect page): each call shows up on the Live meter and the Dashboard. Reopen this welcome with F1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have an &amp;API key from a provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I only use &amp;local models (no key needed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paste the key (sk-…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept in your system keychain, never in the wallet file. Tools get a wallet key of their own instead; the meter adds the real key when it forwards a call.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its &amp;address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calls to local models are metered in tokens and cost nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 · Where do your calls go?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Block calls once it is used up (recommended)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only &amp;warn me; let calls go on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;rofile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When it runs out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2 · How much may be spent?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A profile is who spends (you, a child, a client project). Its budget stops spending when it is used up; warnings come at 50, 80 and 95 %.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>money like $20 or €15, or tokens like 500k</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One command (a wallet key of its own for each session)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Or set these in your shell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your &amp;tool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>3 · Connect your tool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your tool&apos;s calls then go to the meter, which forwards them with your provider key and charges this profile. The checklist ticks &apos;tool connected&apos; at its first call.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#1a7f37&apos;&gt;✓ A call from your tool came through the meter.&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#57606a&apos;&gt;Waiting for your tool&apos;s first call… (or go on and send a test call)&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The &apos;tokenwallet&apos; command is not on your PATH yet, so the line names this checkout&apos;s; run &apos;tools/run install-cli&apos; once to add it (see docs/first-run.md).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Send the test call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4 · A real call through the meter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ {message}. It cost {money}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;The ledger row&lt;/b&gt;&lt;br&gt;{astimezone:%Y-%m-%d %H:%M:%S} · profile {profile} · {provider}/{model}&lt;br&gt;{format_tokens} in · {format_tokens2} out · &lt;b&gt;{money}&lt;/b&gt; · priced from {price_source}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done — your calls are metered</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
