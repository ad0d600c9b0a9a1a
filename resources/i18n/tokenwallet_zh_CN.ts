<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <source>budget #{envelope_id} no longer exists</source>
        <translation>预算 #{envelope_id} 已不存在</translation>
    </message>
    <message>
        <source>whole wallet</source>
        <translation>整个钱包</translation>
    </message>
    <message>
        <source> for {profile}</source>
        <translation>（{profile}）</translation>
    </message>
    <message>
        <source>{model} costs {saving_pct} % less than {model2} for this period&apos;s calls</source>
        <translation>就本期的调用而言，{model} 比 {model2} 便宜 {saving_pct}%</translation>
    </message>
    <message>
        <source>The wallet cannot be opened.

{message}</source>
        <translation>无法打开钱包。

{message}</translation>
    </message>
    <message>
        <source>Writes {value}: your desktop runs &apos;tokenwallet serve&apos; at login, so calls are metered even before this window opens. Untick to remove it.</source>
        <translation>写入 {value}：桌面登录时即运行 &apos;tokenwallet serve&apos;，因此在打开本窗口之前调用也会被计量。取消勾选即删除该文件。</translation>
    </message>
    <message>
        <source>On macOS add &apos;tokenwallet serve&apos; as a Login Item (System Settings → General → Login Items) or a launchd agent; Token Wallet does not change your login items itself.</source>
        <translation>在 macOS 上，请把 &apos;tokenwallet serve&apos; 添加为登录项（系统设置 → 通用 → 登录项）或 launchd 代理；Token Wallet 不会自行修改你的登录项。</translation>
    </message>
    <message>
        <source>On Windows put a shortcut to &apos;tokenwallet serve&apos; in shell:startup (Win+R, type shell:startup); Token Wallet does not change your startup folder itself.</source>
        <translation>在 Windows 上，请在 shell:startup 中放一个 &apos;tokenwallet serve&apos; 的快捷方式（Win+R，输入 shell:startup）；Token Wallet 不会自行修改你的启动文件夹。</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>downgraded</source>
        <translation>降级</translation>
    </message>
    <message>
        <source>let through</source>
        <translation>放行</translation>
    </message>
    <message>
        <source>Budget {envelope} is at {used_pct} % (crossed {threshold_pct} %): {left} left.</source>
        <translation>预算 {envelope} 已用 {used_pct}%（超过 {threshold_pct}%）：剩余 {left}。</translation>
    </message>
    <message>
        <source> {suggestion} would make it last longer.</source>
        <translation> 改用 {suggestion} 可以用得更久。</translation>
    </message>
    <message>
        <source> (session {session})</source>
        <translation>（会话 {session}）</translation>
    </message>
    <message>
        <source>A call to {model} by {profile}{session} was {verb}: {message}.</source>
        <translation>{profile} 对 {model} 的调用{session}被{verb}：{message}。</translation>
    </message>
    <message>
        <source>A call to {model} by {profile} was refused: {reason}.</source>
        <translation>{profile} 对 {model} 的调用被拒绝：{reason}。</translation>
    </message>
    <message>
        <source>A call to {model} by {profile} was refused: budget {envelope} has {amount} left.</source>
        <translation>{profile} 对 {model} 的调用被拒绝：预算 {envelope} 只剩 {amount}。</translation>
    </message>
    <message>
        <source> {suggestion} would fit.</source>
        <translation> 改用 {suggestion} 则够用。</translation>
    </message>
    <message>
        <source>Provider key (or local models)</source>
        <translation>服务商密钥（或本地模型）</translation>
    </message>
    <message>
        <source>A budget that blocks</source>
        <translation>一个会拦截调用的预算</translation>
    </message>
    <message>
        <source>A tool connected (a call seen)</source>
        <translation>已连接一个工具（已看到调用）</translation>
    </message>
    <message>
        <source>A test call through the meter</source>
        <translation>一次经过计量器的测试调用</translation>
    </message>
    <message>
        <source>Claude Code speaks Anthropic&apos;s API.</source>
        <translation>Claude Code 使用 Anthropic 的 API。</translation>
    </message>
    <message>
        <source>Codex reads its base URL from its config.toml, not from the environment: use the run line.</source>
        <translation>Codex 从它的 config.toml 读取 base URL，而不是从环境变量：请使用运行命令那一行。</translation>
    </message>
    <message>
        <source>aider reaches OpenAI and Anthropic models.</source>
        <translation>aider 可以调用 OpenAI 和 Anthropic 的模型。</translation>
    </message>
    <message>
        <source>llm (Simon Willison&apos;s)</source>
        <translation>llm（Simon Willison 开发）</translation>
    </message>
    <message>
        <source>llm uses the OpenAI SDK.</source>
        <translation>llm 使用 OpenAI SDK。</translation>
    </message>
    <message>
        <source>Python / Node SDK or another tool</source>
        <translation>Python / Node SDK 或其他工具</translation>
    </message>
    <message>
        <source>Any program using the official SDKs reads these variables.</source>
        <translation>任何使用官方 SDK 的程序都会读取这些环境变量。</translation>
    </message>
    <message>
        <source>the meter at {url} did not answer ({error})</source>
        <translation>计量器 {url} 没有响应（{error}）</translation>
    </message>
    <message>
        <source>the provider answered but the meter recorded no call: see History</source>
        <translation>服务商已响应，但计量器没有记录到调用：请查看历史记录</translation>
    </message>
    <message>
        <source>no spending yet</source>
        <translation>尚无支出</translation>
    </message>
    <message>
        <source>just started</source>
        <translation>刚刚开始</translation>
    </message>
    <message>
        <source>nothing spent today</source>
        <translation>今天没有支出</translation>
    </message>
    <message>
        <source>nothing spent this week</source>
        <translation>本周没有支出</translation>
    </message>
    <message>
        <source>nothing spent this month</source>
        <translation>本月没有支出</translation>
    </message>
    <message>
        <source>nothing spent this year</source>
        <translation>今年没有支出</translation>
    </message>
    <message>
        <source>nothing spent yet</source>
        <translation>尚无支出</translation>
    </message>
    <message>
        <source>projected day spend {amount}</source>
        <translation>预计今天支出 {amount}</translation>
    </message>
    <message>
        <source>projected week spend {amount}</source>
        <translation>预计本周支出 {amount}</translation>
    </message>
    <message>
        <source>projected month spend {amount}</source>
        <translation>预计本月支出 {amount}</translation>
    </message>
    <message>
        <source>projected year spend {amount}</source>
        <translation>预计今年支出 {amount}</translation>
    </message>
    <message>
        <source>projected spend {amount}</source>
        <translation>预计支出 {amount}</translation>
    </message>
    <message>
        <source>used up: calls will follow the limit action</source>
        <translation>已用完：调用将按超限动作处理</translation>
    </message>
    <message>
        <source>at this pace you will run out on {day_words}</source>
        <translation>按目前的速度，你将在 {day_words}用完</translation>
    </message>
    <message>
        <source>at this pace it lasts for years</source>
        <translation>按目前的速度，可以用上好几年</translation>
    </message>
    <message>
        <source>at this pace it runs out on {day_words}</source>
        <translation>按目前的速度，将在 {day_words}用完</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>仪表盘</translation>
    </message>
    <message>
        <source>Live meter</source>
        <translation>实时计量</translation>
    </message>
    <message>
        <source>Cost preview</source>
        <translation>费用预估</translation>
    </message>
    <message>
        <source>Profiles &amp; budgets</source>
        <translation>账户与预算</translation>
    </message>
    <message>
        <source>Connect your tools</source>
        <translation>连接你的工具</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Reconcile</source>
        <translation>对账</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>家庭</translation>
    </message>
    <message>
        <source>Clients &amp; invoices</source>
        <translation>客户与发票</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Showing:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>Pause metering</source>
        <translation>暂停计量</translation>
    </message>
    <message>
        <source>While paused, the proxy refuses every call with a clear message.</source>
        <translation>暂停期间，代理会拒绝所有调用并给出明确提示。</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <source>Welcome and first steps…</source>
        <translation>欢迎与入门步骤…</translation>
    </message>
    <message>
        <source>Whole wallet</source>
        <translation>整个钱包</translation>
    </message>
    <message>
        <source>Profile: {name}</source>
        <translation>账户：{name}</translation>
    </message>
    <message>
        <source>Resume metering</source>
        <translation>恢复计量</translation>
    </message>
    <message>
        <source> — metering paused</source>
        <translation> — 计量已暂停</translation>
    </message>
    <message>
        <source> — {name}: no budget</source>
        <translation> — {name}：没有预算</translation>
    </message>
    <message>
        <source>{tip} — {who}: {left} left ({period})</source>
        <translation>{tip} — {who}：剩余 {left}（{period}）</translation>
    </message>
    <message>
        <source>Budget {scope} ({period}) now downgrades to a cheaper model instead of refusing.</source>
        <translation>预算 {scope}（{period}）超出后将降级到更便宜的模型，而不是拒绝调用。</translation>
    </message>
    <message>
        <source>Metering is paused: the proxy refuses every call until you resume.</source>
        <translation>计量已暂停：在你恢复之前，代理会拒绝所有调用。</translation>
    </message>
    <message>
        <source>No keychain for provider keys: {explanation}</source>
        <translation>没有可存放服务商密钥的钥匙串：{explanation}</translation>
    </message>
    <message>
        <source>metering is off</source>
        <translation>计量已关闭</translation>
    </message>
    <message>
        <source>Downgrade when over</source>
        <translation>超出时降级</translation>
    </message>
    <message>
        <source>Downgrade instead of refusing</source>
        <translation>降级而不是拒绝</translation>
    </message>
    <message>
        <source>Lift for this session</source>
        <translation>本次会话解除</translation>
    </message>
    <message>
        <source>lift a guard</source>
        <translation>解除一条防护规则</translation>
    </message>
    <message>
        <source>Could not lift the guard: {exc}</source>
        <translation>无法解除防护规则：{exc}</translation>
    </message>
    <message>
        <source>session {session}</source>
        <translation>会话 {session}</translation>
    </message>
    <message>
        <source>every session</source>
        <translation>所有会话</translation>
    </message>
    <message>
        <source>Guard #{guard_id} lifted for {where}.</source>
        <translation>防护规则 #{guard_id} 已对{where}解除。</translation>
    </message>
    <message>
        <source>{text} Suggestion: {found}.</source>
        <translation>{text} 建议：{found}。</translation>
    </message>
    <message>
        <source>switch this budget to downgrade</source>
        <translation>把这个预算改为降级</translation>
    </message>
    <message>
        <source>Could not change the budget: {exc}</source>
        <translation>无法修改预算：{exc}</translation>
    </message>
    <message>
        <source>Token Wallet is still metering</source>
        <translation>Token Wallet 仍在计量</translation>
    </message>
    <message>
        <source>Open it or quit from the tray icon.</source>
        <translation>可从托盘图标打开它或退出。</translation>
    </message>
    <message>
        <source>No such directory</source>
        <translation>没有这个目录</translation>
    </message>
    <message>
        <source>Qt could not write {path}</source>
        <translation>Qt 无法写入 {path}</translation>
    </message>
    <message>
        <source>is in use by another program</source>
        <translation>已被其他程序占用</translation>
    </message>
    <message>
        <source>may not be used by this user (ports below 1024 need administrator rights)</source>
        <translation>当前用户不能使用（1024 以下的端口需要管理员权限）</translation>
    </message>
    <message>
        <source>is not an address of this computer</source>
        <translation>不是本机的地址</translation>
    </message>
    <message>
        <source>cannot be used: {value}</source>
        <translation>无法使用：{value}</translation>
    </message>
    <message>
        <source>metering not started</source>
        <translation>计量尚未启动</translation>
    </message>
    <message>
        <source>starting the meter on {proxy_url} …</source>
        <translation>正在 {proxy_url} 上启动计量器…</translation>
    </message>
    <message>
        <source>restarting the meter …</source>
        <translation>正在重启计量器…</translation>
    </message>
    <message>
        <source>port {port} is held by a Token Wallet proxy metering another wallet ({wallet}); pick another port in Settings</source>
        <translation>端口 {port} 已被另一个钱包（{wallet}）的 Token Wallet 代理占用；请在设置中换一个端口</translation>
    </message>
    <message>
        <source>port {port} on {host} {port_trouble}; pick another port in Settings</source>
        <translation>{host} 上的端口 {port} {port_trouble}；请在设置中换一个端口</translation>
    </message>
    <message>
        <source>the Token Wallet meter</source>
        <translation>Token Wallet 计量器</translation>
    </message>
    <message>
        <source>following {who} on this wallet at {proxy_url}</source>
        <translation>正在跟随此钱包上的{who}，地址 {proxy_url}</translation>
    </message>
    <message>
        <source>metering on {proxy_url}</source>
        <translation>正在 {proxy_url} 上计量</translation>
    </message>
    <message>
        <source>metering is off: {exc}</source>
        <translation>计量已关闭：{exc}</translation>
    </message>
    <message>
        <source>The shared wallet cannot be reached. Metering into the local journal: {used} of the {float} float used; calls beyond the float are refused until it is back.</source>
        <translation>无法连接共用钱包。正在计入本机日志：离线额度 {float} 已用 {used}；超出额度的调用将被拒绝，直到钱包恢复连接。</translation>
    </message>
    <message>
        <source>Tokens: {used} of {float}.</source>
        <translation>Token：已用 {used}，共 {float}。</translation>
    </message>
    <message>
        <source>Open Token Wallet</source>
        <translation>打开 Token Wallet</translation>
    </message>
    <message>
        <source>Quit (stops metering)</source>
        <translation>退出（停止计量）</translation>
    </message>
    <message>
        <source>Owner PIN</source>
        <extracomment>Returns the PIN the owner typed for ``action``, or None when cancelled. Tests replace it.
----------
What :func:`guard_money_change` uses to ask; a test may swap it (``billing_pin.asker = …``).</extracomment>
        <translation>户主 PIN</translation>
    </message>
    <message>
        <source>The household owner&apos;s PIN or passphrase is needed to &lt;b&gt;{action}&lt;/b&gt;.</source>
        <translation>需要家庭户主的 PIN 或口令才能&lt;b&gt;{action}&lt;/b&gt;。</translation>
    </message>
    <message>
        <source>PIN or passphrase</source>
        <translation>PIN 或口令</translation>
    </message>
    <message>
        <source>repeat it</source>
        <translation>再输入一次</translation>
    </message>
    <message>
        <source>The two PINs differ.</source>
        <translation>两次输入的 PIN 不一致。</translation>
    </message>
    <message>
        <source>for</source>
        <extracomment>ScopeCombo data of the two entries that need these fields.</extracomment>
        <translation>适用于</translation>
    </message>
    <message>
        <source>every profile</source>
        <translation>所有账户</translation>
    </message>
    <message>
        <source>type which {what}, e.g. {example}</source>
        <translation>输入哪些{what}，例如 {example}</translation>
    </message>
    <message>
        <source>models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>a budget is for models by name or provider, not by tier</source>
        <translation>预算按模型名称或服务商设置，不能按档位</translation>
    </message>
    <message>
        <source>No calls yet — connect a tool (Connect your tools) to see daily spend</source>
        <translation>还没有调用 — 连接一个工具（连接你的工具）后即可看到每日支出</translation>
    </message>
    <message>
        <source>Nothing spent in the last 30 days yet</source>
        <translation>最近 30 天还没有支出</translation>
    </message>
    <message>
        <source>spend</source>
        <translation>支出</translation>
    </message>
    <message>
        <source>Daily {what} by {group_by}, last {len} days</source>
        <translation>每日{what}（按{group_by}），最近 {len} 天</translation>
    </message>
    <message>
        <source>Daily {what} of profile {profile}, last {len} days</source>
        <translation>账户 {profile} 的每日{what}，最近 {len} 天</translation>
    </message>
    <message>
        <source>Tokens of {profile} by model</source>
        <translation>{profile} 各模型的 tokens</translation>
    </message>
    <message>
        <source>Share by {group_by}</source>
        <translation>按{group_by}的占比</translation>
    </message>
    <message>
        <source>Add a provider key…</source>
        <translation>添加服务商密钥…</translation>
    </message>
    <message>
        <source>Set a budget…</source>
        <translation>设置预算…</translation>
    </message>
    <message>
        <source>Connect a tool…</source>
        <translation>连接工具…</translation>
    </message>
    <message>
        <source>Send a test call…</source>
        <translation>发送测试调用…</translation>
    </message>
    <message>
        <source>Four steps from nothing to a metered call. Each one ticks itself off when the wallet shows it done.</source>
        <translation>从零到第一次被计量的调用只需四步。钱包一看到某步完成，就会自动打勾。</translation>
    </message>
    <message>
        <source>Open the welcome (F1)</source>
        <translation>打开欢迎向导（F1）</translation>
    </message>
    <message>
        <source>Hide this list</source>
        <translation>隐藏此列表</translation>
    </message>
    <message>
        <source>For good; the welcome stays under Help (F1).</source>
        <translation>永久隐藏；欢迎向导仍在“帮助”菜单下（F1）。</translation>
    </message>
    <message>
        <source>Get started — {count} of {len} done</source>
        <translation>入门 — 已完成 {count}/{len}</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Markup</source>
        <translation>加价</translation>
    </message>
    <message>
        <source>Tax</source>
        <translation>税</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>币种</translation>
    </message>
    <message>
        <source>Cap</source>
        <translation>上限</translation>
    </message>
    <message>
        <source>No clients yet — add one below.</source>
        <translation>还没有客户 — 请在下方添加。</translation>
    </message>
    <message>
        <source>short name used by keys, e.g. acme</source>
        <translation>密钥使用的简称，例如 acme</translation>
    </message>
    <message>
        <source>Invoice currency units per USD — you set it.</source>
        <translation>每 1 USD 折合多少发票币种单位 — 由你设定。</translation>
    </message>
    <message>
        <source>optional: 50, or 5M tokens</source>
        <translation>可选：50，或 5M tokens</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Markup %</source>
        <translation>加价 %</translation>
    </message>
    <message>
        <source>Tax %</source>
        <translation>税率 %</translation>
    </message>
    <message>
        <source>Rate per USD</source>
        <translation>每 USD 汇率</translation>
    </message>
    <message>
        <source>Cap period</source>
        <translation>上限周期</translation>
    </message>
    <message>
        <source>Legal name</source>
        <translation>法定名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Tax ID</source>
        <translation>税号</translation>
    </message>
    <message>
        <source>Add client</source>
        <translation>添加客户</translation>
    </message>
    <message>
        <source>Save changes</source>
        <translation>保存更改</translation>
    </message>
    <message>
        <source>New key…</source>
        <translation>新建密钥…</translation>
    </message>
    <message>
        <source>Report and invoice</source>
        <translation>报表与发票</translation>
    </message>
    <message>
        <source>Show report</source>
        <translation>显示报表</translation>
    </message>
    <message>
        <source>Issue invoice…</source>
        <translation>开具发票…</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>调用</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>No calls for this client in this range.</source>
        <translation>此期间内该客户没有调用。</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Cost (USD)</source>
        <translation>费用（USD）</translation>
    </message>
    <message>
        <source>Your details on invoices</source>
        <translation>发票上你的信息</translation>
    </message>
    <message>
        <source>Save my details</source>
        <translation>保存我的信息</translation>
    </message>
    <message>
        <source>Next invoice</source>
        <translation>下一张发票</translation>
    </message>
    <message>
        <source>Could not read the clients: {exc}</source>
        <translation>无法读取客户：{exc}</translation>
    </message>
    <message>
        <source>Cancelled: nothing changed.</source>
        <translation>已取消：没有任何更改。</translation>
    </message>
    <message>
        <source>add client {name}</source>
        <translation>添加客户 {name}</translation>
    </message>
    <message>
        <source>Not added: {exc}</source>
        <translation>未添加：{exc}</translation>
    </message>
    <message>
        <source>Added client {name}. Give it a key with “New key…”.</source>
        <translation>已添加客户 {name}。用“新建密钥…”给它一个密钥。</translation>
    </message>
    <message>
        <source>Select a client first.</source>
        <translation>请先选择一个客户。</translation>
    </message>
    <message>
        <source>change client {name}</source>
        <translation>修改客户 {name}</translation>
    </message>
    <message>
        <source>Not saved: {exc}</source>
        <translation>未保存：{exc}</translation>
    </message>
    <message>
        <source>Saved {name}.</source>
        <translation>已保存 {name}。</translation>
    </message>
    <message>
        <source>make a key for client {name}</source>
        <translation>为客户 {name} 生成密钥</translation>
    </message>
    <message>
        <source>No key made: {exc}</source>
        <translation>未生成密钥：{exc}</translation>
    </message>
    <message>
        <source>A key for {name} (spent by {who}) is shown once.</source>
        <translation>{name} 的密钥（由 {who} 使用）只显示这一次。</translation>
    </message>
    <message>
        <source>Saved your details.</source>
        <translation>已保存你的信息。</translation>
    </message>
    <message>
        <source>No report: {exc}</source>
        <translation>无法生成报表：{exc}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;, {first} – {last}: {calls:,} calls, {tokens:,} tokens — cost {m}, markup {m2}, tax {m3}, &lt;b&gt;total {m4}&lt;/b&gt;</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;，{first} – {last}：{calls:,} 次调用，{tokens:,} tokens — 成本 {m}，加价 {m2}，税 {m3}，&lt;b&gt;合计 {m4}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Save invoice PDF</source>
        <translation>保存发票 PDF</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>{pdf} is the wallet&apos;s own file: save somewhere else</source>
        <translation>{pdf} 是钱包自身的文件：请保存到别处</translation>
    </message>
    <message>
        <source>Invoice {number}</source>
        <translation>发票 {number}</translation>
    </message>
    <message>
        <source>No invoice: {exc}</source>
        <translation>未开具发票：{exc}</translation>
    </message>
    <message>
        <source>Issued invoice {number}: {pdf}</source>
        <translation>已开具发票 {number}：{pdf}</translation>
    </message>
    <message>
        <source> and {name}</source>
        <translation> 和 {name}</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>Energy</source>
        <translation>能耗</translation>
    </message>
    <message>
        <source>Share of what this budget has left that the call would take</source>
        <translation>这次调用会用掉该预算剩余额度的比例</translation>
    </message>
    <message>
        <source>no key</source>
        <translation>无密钥</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>too long</source>
        <translation>过长</translation>
    </message>
    <message>
        <source>fits</source>
        <translation>够用</translation>
    </message>
    <message>
        <source>over ({share})</source>
        <translation>超出（{share}）</translation>
    </message>
    <message>
        <source>No {provider} key in the keychain: a provider you could add in Settings</source>
        <translation>钥匙串中没有 {provider} 的密钥：可以在设置中添加这个服务商</translation>
    </message>
    <message>
        <source>{image_tokens:,} of them for images</source>
        <translation>其中 {image_tokens:,} 用于图片</translation>
    </message>
    <message>
        <source>needs {need:,} of {context_window:,} tokens</source>
        <translation>需要 {need:,} tokens，上限 {context_window:,}</translation>
    </message>
    <message>
        <source>input {money} + output {output_tokens:,} tokens</source>
        <translation>输入 {money} + 输出 {output_tokens:,} tokens</translation>
    </message>
    <message>
        <source>needs {amount} of {amount2} left</source>
        <translation>需要 {amount}，剩余 {amount2}</translation>
    </message>
    <message>
        <source>Only providers with a key</source>
        <translation>只看有密钥的服务商</translation>
    </message>
    <message>
        <source>&lt;b&gt;Compare models&lt;/b&gt;</source>
        <translation>&lt;b&gt;模型对比&lt;/b&gt;</translation>
    </message>
    <message>
        <source>{len} models, {keyed} with a key · double-click one to preview it</source>
        <translation>{len} 个模型，其中 {keyed} 个有密钥 · 双击即可预估</translation>
    </message>
    <message>
        <source>One command: tokenwallet run (each tool below gets its own key)</source>
        <translation>一条命令：tokenwallet run（下面每个工具各用自己的密钥）</translation>
    </message>
    <message>
        <source>Shell (OpenAI tools)</source>
        <translation>Shell（OpenAI 系工具）</translation>
    </message>
    <message>
        <source>Shell (Anthropic tools)</source>
        <translation>Shell（Anthropic 系工具）</translation>
    </message>
    <message>
        <source>Python (openai SDK)</source>
        <translation>Python（openai SDK）</translation>
    </message>
    <message>
        <source>OK: {provider}/{model} answered through the proxy in {ms:.0f} ms; the call is in History.</source>
        <translation>成功：{provider}/{model} 经代理在 {ms:.0f} ms 内响应；该调用已记入历史记录。</translation>
    </message>
    <message>
        <source>Failed ({status_code}): {value}</source>
        <translation>失败（{status_code}）：{value}</translation>
    </message>
    <message>
        <source>paste this profile&apos;s tw-… key, or make a new one</source>
        <translation>粘贴此账户的 tw-… 密钥，或新建一个</translation>
    </message>
    <message>
        <source>New key for this profile…</source>
        <translation>为此账户新建密钥…</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Sends a real one-token request through the proxy; it costs a fraction of a cent and is charged to this profile.</source>
        <translation>通过代理发送一次真实的单 token 请求；花费不到一美分，计入此账户。</translation>
    </message>
    <message>
        <source>Create a profile first (Profiles &amp; budgets): each tool connects with a profile&apos;s key.</source>
        <translation>请先创建一个账户（账户与预算）：每个工具都用某个账户的密钥连接。</translation>
    </message>
    <message>
        <source> &lt;span style=&apos;color:{danger}&apos;&gt;(the meter is not running: {mode_text})&lt;/span&gt;</source>
        <translation> &lt;span style=&apos;color:{danger}&apos;&gt;（计量器未运行：{mode_text}）&lt;/span&gt;</translation>
    </message>
    <message>
        <source>Settings for profile &lt;b&gt;{name}&lt;/b&gt; (pick another in the bar above). Tools send their calls to the meter at &lt;b&gt;{proxy_url}&lt;/b&gt;{state}, which forwards them with your real provider key and charges this profile&apos;s budgets. The first lines need no key: &lt;tt&gt;tokenwallet run&lt;/tt&gt; gives each tool a key of its own for one session. For the others, paste a key below (keys are shown only when made).</source>
        <translation>账户 &lt;b&gt;{name}&lt;/b&gt; 的连接设置（可在上方栏中切换）。工具把调用发给位于 &lt;b&gt;{proxy_url}&lt;/b&gt;{state} 的计量器，计量器用你真正的服务商密钥转发，并记入此账户的预算。前几行不需要密钥：&lt;tt&gt;tokenwallet run&lt;/tt&gt; 会为每个工具的每次会话生成专用密钥。其他方式请在下方粘贴密钥（密钥只在生成时显示）。</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Create a profile first.</source>
        <translation>请先创建一个账户。</translation>
    </message>
    <message>
        <source>connect page</source>
        <translation>连接页面</translation>
    </message>
    <message>
        <source>Paste this profile&apos;s key (or make a new one) to test with it.</source>
        <translation>粘贴此账户的密钥（或新建一个）来测试。</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>发送中…</translation>
    </message>
    <message>
        <source>Failed: the meter at {url} did not answer ({exc}).</source>
        <translation>失败：计量器 {url} 没有响应（{exc}）。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <source>by model</source>
        <translation>按模型</translation>
    </message>
    <message>
        <source>by profile</source>
        <translation>按账户</translation>
    </message>
    <message>
        <source>by project</source>
        <translation>按项目</translation>
    </message>
    <message>
        <source>by provider</source>
        <translation>按服务商</translation>
    </message>
    <message>
        <source>money</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>tokens</translation>
    </message>
    <message>
        <source>Charts:</source>
        <translation>图表：</translation>
    </message>
    <message>
        <source>No budgets yet. Create one under &lt;b&gt;Profiles &amp;amp; budgets&lt;/b&gt; to see gauges and forecasts here.</source>
        <translation>还没有预算。在&lt;b&gt;账户与预算&lt;/b&gt;中创建一个，即可在这里看到用量和预测。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Subscriptions&lt;/b&gt; — use imported from the tools&apos; logs, at API prices</source>
        <translation>&lt;b&gt;订阅&lt;/b&gt; — 从各工具日志导入的用量，按 API 价格计算</translation>
    </message>
    <message>
        <source>Could not read the wallet: {exc}</source>
        <translation>无法读取钱包：{exc}</translation>
    </message>
    <message>
        <source>Profile {profile}</source>
        <translation>账户 {profile}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{who}&lt;/b&gt; — today {money} · {format_tokens} &amp;nbsp;|&amp;nbsp; last {len} days {money2} · {format_tokens2} · {total_calls:,} calls</source>
        <translation>&lt;b&gt;{who}&lt;/b&gt; — 今天 {money} · {format_tokens} &amp;nbsp;|&amp;nbsp; 最近 {len} 天 {money2} · {format_tokens2} · {total_calls:,} 次调用</translation>
    </message>
    <message>
        <source> · subscription plans {money}/month</source>
        <translation> · 订阅套餐 {money}/月</translation>
    </message>
    <message>
        <source> · no subscription plan</source>
        <translation> · 没有订阅套餐</translation>
    </message>
    <message>
        <source>Last {len} days: metered {money} · imported {money2} (API-equivalent, {format_tokens}){plans} · together {money3}</source>
        <translation>最近 {len} 天：已计量 {money} · 已导入 {money2}（按 API 折算，{format_tokens}）{plans} · 合计 {money3}</translation>
    </message>
    <message>
        <source>Show all {count} budgets ({hidden} more)</source>
        <translation>显示全部 {count} 个预算（另有 {hidden} 个）</translation>
    </message>
    <message>
        <source>Show only the fullest budgets</source>
        <translation>只显示用得最多的预算</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Tokens per Wh</source>
        <translation>每 Wh tokens</translation>
    </message>
    <message>
        <source>&lt;b&gt;Energy&lt;/b&gt;</source>
        <translation>&lt;b&gt;能耗&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Output tokens per watt-hour: more is greener. ~ marks an estimate.</source>
        <translation>每瓦时输出的 tokens：越多越环保。~ 表示估算值。</translation>
    </message>
    <message>
        <source> · computing energy for {pending:,} more calls…</source>
        <translation> · 还有 {pending:,} 次调用的能耗正在计算…</translation>
    </message>
    <message>
        <source>{month}: no energy figures yet</source>
        <translation>{month}：还没有能耗数据</translation>
    </message>
    <message>
        <source>Electricity mix: {zone}{pending}</source>
        <translation>电力结构：{zone}{pending}</translation>
    </message>
    <message>
        <source>This month: &lt;b&gt;{wh_text}&lt;/b&gt; {ev_km_text}</source>
        <translation>本月：&lt;b&gt;{wh_text}&lt;/b&gt; {ev_km_text}</translation>
    </message>
    <message>
        <source>, {estimated_calls:,} estimated</source>
        <translation>，其中 {estimated_calls:,} 次为估算</translation>
    </message>
    <message>
        <source>{range_text} · {range_text2} CO₂e in the {zone} electricity mix · {calls:,} calls{estimated} · figures by ecologits{pending}</source>
        <translation>{range_text} · 按 {zone} 电力结构折合 {range_text2} CO₂e · {calls:,} 次调用{estimated} · 数据来自 ecologits{pending}</translation>
    </message>
    <message>
        <source>ecologits (its data for this model)</source>
        <translation>ecologits（该模型的实测数据）</translation>
    </message>
    <message>
        <source>estimate: ecologits&apos; formulas for a model of this capability tier</source>
        <translation>估算：按 ecologits 对同档位模型的公式</translation>
    </message>
    <message>
        <source>estimate: your gpu_watts setting × the call&apos;s duration</source>
        <translation>估算：你设置的 gpu_watts × 调用时长</translation>
    </message>
    <message>
        <source>No energy figure (not computed yet, or not a text model ecologits can estimate)</source>
        <translation>没有能耗数据（尚未计算，或不是 ecologits 能估算的文本模型）</translation>
    </message>
    <message>
        <source>{energy} · {co2} CO₂e ({zone} mix)
{method}</source>
        <translation>{energy} · {co2} CO₂e（{zone} 电力结构）
{method}</translation>
    </message>
    <message>
        <source>An electric car uses about 20 kWh per 100 km (WLTP; most large EVs at or above 20, smaller ones in the high teens). Source: Drive, “What is a good energy consumption figure for electric vehicles?”, drive.com.au/caradvice/what-is-a-good-energy-consumption-figure-for-electric-vehicles/</source>
        <translation>电动汽车每 100 km 约耗电 20 kWh（WLTP 工况；大多数大型电动车在 20 以上，小型车在 17–19 之间）。来源：Drive，“What is a good energy consumption figure for electric vehicles?”，drive.com.au/caradvice/what-is-a-good-energy-consumption-figure-for-electric-vehicles/</translation>
    </message>
    <message>
        <source>Estimated from the model&apos;s size class (ecologits has no data for this model)</source>
        <translation>按模型规模等级估算（ecologits 没有这个模型的数据）</translation>
    </message>
    <message>
        <source>≈ {km} km by electric car</source>
        <translation>≈ 电动汽车行驶 {km} km</translation>
    </message>
    <message>
        <source>≈ {m} m by electric car</source>
        <translation>≈ 电动汽车行驶 {m} m</translation>
    </message>
    <message>
        <source>{tokens} used today · {held}</source>
        <translation>今天已用 {tokens} · {held}</translation>
    </message>
    <message>
        <source>{tokens} used this week · {held}</source>
        <translation>本周已用 {tokens} · {held}</translation>
    </message>
    <message>
        <source>{tokens} used this month · {held}</source>
        <translation>本月已用 {tokens} · {held}</translation>
    </message>
    <message>
        <source>{tokens} used this year · {held}</source>
        <translation>今年已用 {tokens} · {held}</translation>
    </message>
    <message>
        <source>{tokens} used since it was set up · {held}</source>
        <translation>设立以来已用 {tokens} · {held}</translation>
    </message>
    <message>
        <source>warns when over</source>
        <translation>超出时警告</translation>
    </message>
    <message>
        <source>switches to a cheaper model when over</source>
        <translation>超出时切换到更便宜的模型</translation>
    </message>
    <message>
        <source>refuses calls when over</source>
        <translation>超出时拒绝调用</translation>
    </message>
    <message>
        <source> · unused rolls over</source>
        <translation> · 未用完的额度结转</translation>
    </message>
    <message>
        <source>{used_pct} % used</source>
        <translation>已用 {used_pct}%</translation>
    </message>
    <message>
        <source>{amount} carried over</source>
        <translation>结转 {amount}</translation>
    </message>
    <message>
        <source>{amount} top-ups</source>
        <translation>充值 {amount}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{amount}&lt;/b&gt; available · spent {amount2} of {amount3}</source>
        <translation>&lt;b&gt;{amount}&lt;/b&gt; 可用 · 已花费 {amount2}，共 {amount3}</translation>
    </message>
    <message>
        <source> ({details})</source>
        <translation>（{details}）</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>{amount} held by calls in flight</source>
        <translation>{amount} 被进行中的调用预占</translation>
    </message>
    <message>
        <source>nothing held</source>
        <translation>无预占</translation>
    </message>
    <message>
        <source>{sentence}.</source>
        <translation>{sentence}。</translation>
    </message>
    <message>
        <source>Envelope #{id}: {label}</source>
        <translation>预算 #{id}：{label}</translation>
    </message>
    <message>
        <source>(any)</source>
        <translation>（全部）</translation>
    </message>
    <message>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <source>model (exact)</source>
        <translation>模型（精确匹配）</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>No calls match these filters — widen the dates or clear the search.</source>
        <translation>没有符合筛选条件的调用 — 请放宽日期范围或清除搜索。</translation>
    </message>
    <message>
        <source>{total:,} calls match · {loaded:,} loaded (more load as you scroll) · Export writes every matching row</source>
        <translation>{total:,} 次调用符合条件 · 已加载 {loaded:,} 条（滚动时继续加载）· 导出会写入所有符合条件的记录</translation>
    </message>
    <message>
        <source>Export history</source>
        <translation>导出历史记录</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Exporting to {name}…</source>
        <translation>正在导出到 {name}…</translation>
    </message>
    <message>
        <source>Exported {n:,} rows to {path}</source>
        <translation>已导出 {n:,} 行到 {path}</translation>
    </message>
    <message>
        <source>Export failed: {exc}</source>
        <translation>导出失败：{exc}</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Cached in</source>
        <translation>缓存输入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Audio · image · video</source>
        <translation>音频 · 图片 · 视频</translation>
    </message>
    <message>
        <source> · estimated</source>
        <translation> · 估算</translation>
    </message>
    <message>
        <source> · fallback price</source>
        <translation> · 备用价格</translation>
    </message>
    <message>
        <source> (asked {requested_model})</source>
        <translation>（请求的是 {requested_model}）</translation>
    </message>
    <message>
        <source>error {status}</source>
        <translation>错误 {status}</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Allowance</source>
        <translation>额度</translation>
    </message>
    <message>
        <source>Spent</source>
        <translation>已花费</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>剩余</translation>
    </message>
    <message>
        <source>Per day</source>
        <translation>每天</translation>
    </message>
    <message>
        <source>Forecast</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Cheaper choice</source>
        <translation>更便宜的选择</translation>
    </message>
    <message>
        <source>May call</source>
        <translation>可调用</translation>
    </message>
    <message>
        <source>No members yet — add one under Add a member below.</source>
        <translation>还没有成员 — 请在下方“添加成员”中添加。</translation>
    </message>
    <message>
        <source>Start a household</source>
        <translation>创建家庭</translation>
    </message>
    <message>
        <source>the owner&apos;s profile, e.g. mum</source>
        <translation>户主的账户，例如 mum</translation>
    </message>
    <message>
        <source>a PIN or a passphrase</source>
        <translation>PIN 或口令</translation>
    </message>
    <message>
        <source>Create household</source>
        <translation>创建家庭</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Owner PIN or passphrase</source>
        <translation>户主 PIN 或口令</translation>
    </message>
    <message>
        <source>Repeat it</source>
        <translation>再输入一次</translation>
    </message>
    <message>
        <source>Owner actions (the owner PIN is asked for each)</source>
        <translation>户主操作（每次都需要输入户主 PIN）</translation>
    </message>
    <message>
        <source>new member&apos;s name</source>
        <translation>新成员的名字</translation>
    </message>
    <message>
        <source>5, $2.50 or 2M tokens</source>
        <translation>5、$2.50 或 2M tokens</translation>
    </message>
    <message>
        <source>their allowance: 5, $2.50 or 2M tokens</source>
        <translation>其额度：5、$2.50 或 2M tokens</translation>
    </message>
    <message>
        <source>adult (a warning at the limit instead of a hard stop)</source>
        <translation>成人（到达上限时只警告，不强制停止）</translation>
    </message>
    <message>
        <source>carry what is left into the next period</source>
        <translation>把剩余额度结转到下一周期</translation>
    </message>
    <message>
        <source>one-off bonus that lapses after</source>
        <translation>一次性奖励，过期日期</translation>
    </message>
    <message>
        <source>tier:small gpt-4o-mini … (* for any model)</source>
        <translation>tier:small gpt-4o-mini …（* 表示任意模型）</translation>
    </message>
    <message>
        <source>Top up / bonus</source>
        <translation>充值 / 奖励</translation>
    </message>
    <message>
        <source>Move it to</source>
        <translation>转给</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>划转</translation>
    </message>
    <message>
        <source>Per</source>
        <translation>每</translation>
    </message>
    <message>
        <source>Set allowance</source>
        <translation>设置额度</translation>
    </message>
    <message>
        <source>Set models</source>
        <translation>设置模型</translation>
    </message>
    <message>
        <source>Access</source>
        <translation>权限</translation>
    </message>
    <message>
        <source>Pause / resume</source>
        <translation>暂停 / 恢复</translation>
    </message>
    <message>
        <source>Add member</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <source>Top up or move money</source>
        <translation>充值或划转</translation>
    </message>
    <message>
        <source>Models and key</source>
        <translation>模型与密钥</translation>
    </message>
    <message>
        <source>Add a member</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <source>Statement CSV…</source>
        <translation>对账单 CSV…</translation>
    </message>
    <message>
        <source>Statement PDF…</source>
        <translation>对账单 PDF…</translation>
    </message>
    <message>
        <source>Statement for</source>
        <translation>对账单月份</translation>
    </message>
    <message>
        <source>Change owner PIN…</source>
        <translation>修改户主 PIN…</translation>
    </message>
    <message>
        <source>Could not read the household: {exc}</source>
        <translation>无法读取家庭信息：{exc}</translation>
    </message>
    <message>
        <source> hard</source>
        <translation> 强制</translation>
    </message>
    <message>
        <source>change which models {name} may call</source>
        <translation>修改 {name} 可调用的模型</translation>
    </message>
    <message>
        <source>{name} may now call: {models}.</source>
        <translation>{name} 现在可以调用：{models}。</translation>
    </message>
    <message>
        <source>{name}&apos;s allowance is now {amount} per {period}.</source>
        <translation>{name} 的额度现在是每{period} {amount}。</translation>
    </message>
    <message>
        <source>{profile}&apos;s call to {model} was refused: {reason}</source>
        <translation>{profile} 对 {model} 的调用被拒绝：{reason}</translation>
    </message>
    <message>
        <source>Nothing changed: {exc}</source>
        <translation>没有更改：{exc}</translation>
    </message>
    <message>
        <source>Not created: {exc}</source>
        <translation>未创建：{exc}</translation>
    </message>
    <message>
        <source>Household created. Money changes now need the owner PIN.</source>
        <translation>家庭已创建。今后涉及钱的操作都需要户主 PIN。</translation>
    </message>
    <message>
        <source>add {name}</source>
        <translation>添加 {name}</translation>
    </message>
    <message>
        <source>Added {name}. Their key is shown once — put it in their tools.</source>
        <translation>已添加 {name}。其密钥只显示这一次 — 请填入他们的工具中。</translation>
    </message>
    <message>
        <source>give {name} a {what}</source>
        <translation>给 {name} {what}</translation>
    </message>
    <message>
        <source>Gave {name} a {what} of {amount}.</source>
        <translation>已给 {name} {what} {amount}。</translation>
    </message>
    <message>
        <source>change the allowance of {name}</source>
        <translation>修改 {name} 的额度</translation>
    </message>
    <message>
        <source>move {amount} from {src} to {dst}</source>
        <translation>从 {src} 划转 {amount} 到 {dst}</translation>
    </message>
    <message>
        <source>Moved {amount} from {src} to {dst}.</source>
        <translation>已从 {src} 划转 {amount} 到 {dst}。</translation>
    </message>
    <message>
        <source>{name} is {value}.</source>
        <translation>{name} {value}。</translation>
    </message>
    <message>
        <source>active again</source>
        <translation>已重新启用</translation>
    </message>
    <message>
        <source>make a new key for {name}</source>
        <translation>为 {name} 生成新密钥</translation>
    </message>
    <message>
        <source>A new key for {name} is shown once.</source>
        <translation>{name} 的新密钥只显示这一次。</translation>
    </message>
    <message>
        <source>change the owner PIN</source>
        <translation>修改户主 PIN</translation>
    </message>
    <message>
        <source>choose the new owner PIN</source>
        <translation>设置新的户主 PIN</translation>
    </message>
    <message>
        <source>The owner PIN is changed.</source>
        <translation>户主 PIN 已修改。</translation>
    </message>
    <message>
        <source>Pick a member first.</source>
        <translation>请先选择一位成员。</translation>
    </message>
    <message>
        <source>Save statement</source>
        <translation>保存对账单</translation>
    </message>
    <message>
        <source>{path} is the wallet&apos;s own file: save somewhere else</source>
        <translation>{path} 是钱包自身的文件：请保存到别处</translation>
    </message>
    <message>
        <source>Statement {name} {d:%Y-%m}</source>
        <translation>对账单 {name} {d:%Y-%m}</translation>
    </message>
    <message>
        <source>Could not write the statement: {exc}</source>
        <translation>无法写入对账单：{exc}</translation>
    </message>
    <message>
        <source>Wrote {path}.</source>
        <translation>已写入 {path}。</translation>
    </message>
    <message>
        <source> Note: {note}.</source>
        <translation>注意：{note}。</translation>
    </message>
    <message>
        <source> (default)</source>
        <translation>（默认）</translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Projects &amp;&amp; clients</source>
        <translation>项目与客户</translation>
    </message>
    <message>
        <source>Budgets</source>
        <translation>预算</translation>
    </message>
    <message>
        <source>Top-ups &amp;&amp; transfers</source>
        <translation>充值与划转</translation>
    </message>
    <message>
        <source>thresholds are whole percentages like &apos;50, 80, 95&apos;, not {text!r}</source>
        <translation>阈值应为整数百分比，如 &apos;50, 80, 95&apos;，而不是 {text!r}</translation>
    </message>
    <message>
        <source>each threshold is a percentage between 1 and 100</source>
        <translation>每个阈值都应是 1 到 100 之间的百分比</translation>
    </message>
    <message>
        <source>type an amount, e.g. 20 or 2M</source>
        <translation>请输入金额，例如 20 或 2M</translation>
    </message>
    <message>
        <source>the amount must be more than zero</source>
        <translation>金额必须大于零</translation>
    </message>
    <message>
        <source>For</source>
        <translation>适用于</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>周期</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>动作</translation>
    </message>
    <message>
        <source>Rollover</source>
        <translation>结转</translation>
    </message>
    <message>
        <source>Warn at</source>
        <translation>警告阈值</translation>
    </message>
    <message>
        <source>No budgets yet — create one below.</source>
        <translation>还没有预算 — 请在下方创建。</translation>
    </message>
    <message>
        <source>20, $5.50, 2M tokens</source>
        <translation>20、$5.50、2M tokens</translation>
    </message>
    <message>
        <source>prepaid (no reset)</source>
        <translation>预付（不重置）</translation>
    </message>
    <message>
        <source>warn only</source>
        <translation>仅警告</translation>
    </message>
    <message>
        <source>downgrade to a cheaper model</source>
        <translation>降级到更便宜的模型</translation>
    </message>
    <message>
        <source>block (refuse calls)</source>
        <translation>拦截（拒绝调用）</translation>
    </message>
    <message>
        <source>Save budget</source>
        <translation>保存预算</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>删除所选</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>When over</source>
        <translation>超出时</translation>
    </message>
    <message>
        <source>Warn at (%)</source>
        <translation>警告阈值（%）</translation>
    </message>
    <message>
        <source>Budget (one per scope and period; saving an existing one updates it)</source>
        <translation>预算（每个范围和周期一个；保存已有的预算即更新它）</translation>
    </message>
    <message>
        <source>a prepaid budget never resets, so there is nothing to roll over</source>
        <translation>预付预算从不重置，因此没有可结转的额度</translation>
    </message>
    <message>
        <source>change a budget</source>
        <translation>修改预算</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>Saved: {scope} gets {amount} per {value}, {action} when over. The proxy applies it to the next call.</source>
        <translation>已保存：{scope} 每{value} {amount}，超出时{action}。代理从下一次调用起生效。</translation>
    </message>
    <message>
        <source>prepaid balance</source>
        <translation>预付余额</translation>
    </message>
    <message>
        <source>Select the budget to remove.</source>
        <translation>请选择要删除的预算。</translation>
    </message>
    <message>
        <source>remove a budget</source>
        <translation>删除预算</translation>
    </message>
    <message>
        <source>Not removed</source>
        <translation>未删除</translation>
    </message>
    <message>
        <source>Removed the {period} budget of {scope}.</source>
        <translation>已删除 {scope} 的{period}预算。</translation>
    </message>
    <message>
        <source>10, $25, 1M tokens</source>
        <translation>10、$25、1M tokens</translation>
    </message>
    <message>
        <source>expires on</source>
        <translation>过期日期</translation>
    </message>
    <message>
        <source>e.g. client prepaid 3 months</source>
        <translation>例如：客户预付 3 个月</translation>
    </message>
    <message>
        <source>Add top-up</source>
        <translation>添加充值</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>过期</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Top up (adds to the budget of that scope)</source>
        <translation>充值（加到该范围的预算上）</translation>
    </message>
    <message>
        <source>5, 500k tokens</source>
        <translation>5、500k tokens</translation>
    </message>
    <message>
        <source>Transfer between budgets (all or nothing)</source>
        <translation>预算间划转（要么全部成功，要么都不做）</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>预算</translation>
    </message>
    <message>
        <source>Movement</source>
        <translation>变动</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>过期</translation>
    </message>
    <message>
        <source>No top-ups or transfers yet.</source>
        <translation>还没有充值或划转。</translation>
    </message>
    <message>
        <source>Recent movements (assignments, top-ups, transfers, rollovers, expiries)</source>
        <translation>最近的变动（分配、充值、划转、结转、过期）</translation>
    </message>
    <message>
        <source>the expiry date is in the past</source>
        <translation>过期日期已经过去</translation>
    </message>
    <message>
        <source>add a top-up</source>
        <translation>添加充值</translation>
    </message>
    <message>
        <source>Not added</source>
        <translation>未添加</translation>
    </message>
    <message>
        <source>, usable until {day}</source>
        <translation>，可用至 {day}</translation>
    </message>
    <message>
        <source>Added {amount} to {scope}{until}.</source>
        <translation>已为 {scope} 充值 {amount}{until}。</translation>
    </message>
    <message>
        <source>pick two different budgets</source>
        <translation>请选择两个不同的预算</translation>
    </message>
    <message>
        <source>Not moved: {exc}</source>
        <translation>未划转：{exc}</translation>
    </message>
    <message>
        <source>move money between budgets</source>
        <translation>在预算之间划转</translation>
    </message>
    <message>
        <source>Not moved</source>
        <translation>未划转</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Spent this month</source>
        <translation>本月花费</translation>
    </message>
    <message>
        <source>Tokens this month</source>
        <translation>本月 tokens</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>No profiles yet — create one below: each person or tool gets its own key.</source>
        <translation>还没有账户 — 请在下方创建：每个人或工具都有自己的密钥。</translation>
    </message>
    <message>
        <source>e.g. alice, ci-agent</source>
        <translation>例如 alice、ci-agent</translation>
    </message>
    <message>
        <source>Create profile</source>
        <translation>创建账户</translation>
    </message>
    <message>
        <source>Rename selected to this name</source>
        <translation>把所选账户改为此名称</translation>
    </message>
    <message>
        <source>Rotate key…</source>
        <translation>轮换密钥…</translation>
    </message>
    <message>
        <source>Revokes the selected profile&apos;s keys and shows a new one once.</source>
        <translation>吊销所选账户的密钥，并显示一次新密钥。</translation>
    </message>
    <message>
        <source>Pause / resume selected</source>
        <translation>暂停 / 恢复所选</translation>
    </message>
    <message>
        <source>tier:small, gpt-4o*, anthropic/* … (empty: any model)</source>
        <translation>tier:small、gpt-4o*、anthropic/* …（留空：任意模型）</translation>
    </message>
    <message>
        <source>*opus*, openrouter/* …</source>
        <translation>*opus*、openrouter/* …</translation>
    </message>
    <message>
        <source>refuse the call (403)</source>
        <translation>拒绝调用（403）</translation>
    </message>
    <message>
        <source>switch to an allowed cheaper model</source>
        <translation>切换到允许的更便宜模型</translation>
    </message>
    <message>
        <source>Save model rules for selected</source>
        <translation>为所选账户保存模型规则</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>禁止</translation>
    </message>
    <message>
        <source>Other models</source>
        <translation>其他模型</translation>
    </message>
    <message>
        <source>Select the profile whose models to limit.</source>
        <translation>请选择要限制模型的账户。</translation>
    </message>
    <message>
        <source>{name} may call: {may_call}. The proxy applies it within a second.</source>
        <translation>{name} 可调用：{may_call}。代理会在一秒内生效。</translation>
    </message>
    <message>
        <source>Type a name for the new profile.</source>
        <translation>请输入新账户的名称。</translation>
    </message>
    <message>
        <source>add a profile</source>
        <translation>添加账户</translation>
    </message>
    <message>
        <source>Not created</source>
        <translation>未创建</translation>
    </message>
    <message>
        <source>Created profile {name}. Its key is shown once — copy it now.</source>
        <translation>已创建账户 {name}。其密钥只显示这一次 — 请立即复制。</translation>
    </message>
    <message>
        <source>Select the profile to rename in the table first.</source>
        <translation>请先在表格中选择要改名的账户。</translation>
    </message>
    <message>
        <source>Type the new name in the Name field.</source>
        <translation>请在“名称”栏输入新名称。</translation>
    </message>
    <message>
        <source>rename a profile</source>
        <translation>重命名账户</translation>
    </message>
    <message>
        <source>Not renamed</source>
        <translation>未改名</translation>
    </message>
    <message>
        <source>Renamed {old} to {new}; its keys keep working.</source>
        <translation>已将 {old} 改名为 {new}；其密钥继续有效。</translation>
    </message>
    <message>
        <source>Select the profile whose key to rotate.</source>
        <translation>请选择要轮换密钥的账户。</translation>
    </message>
    <message>
        <source>replace a profile&apos;s keys</source>
        <translation>更换账户的密钥</translation>
    </message>
    <message>
        <source>Key not rotated</source>
        <translation>密钥未轮换</translation>
    </message>
    <message>
        <source>Rotated: {name}&apos;s old keys stop working now. The new key is shown once.</source>
        <translation>已轮换：{name} 的旧密钥立即失效。新密钥只显示这一次。</translation>
    </message>
    <message>
        <source>Select a profile to pause or resume.</source>
        <translation>请选择要暂停或恢复的账户。</translation>
    </message>
    <message>
        <source>pause or resume a profile</source>
        <translation>暂停或恢复账户</translation>
    </message>
    <message>
        <source>Not changed</source>
        <translation>未更改</translation>
    </message>
    <message>
        <source>paused: its calls are refused</source>
        <translation>已暂停：其调用会被拒绝</translation>
    </message>
    <message>
        <source> (household default)</source>
        <translation>（家庭默认）</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>No projects yet — add one below to bill a client.</source>
        <translation>还没有项目 — 请在下方添加，以便向客户计费。</translation>
    </message>
    <message>
        <source>e.g. acme-site</source>
        <translation>例如 acme-site</translation>
    </message>
    <message>
        <source>Create project</source>
        <translation>创建项目</translation>
    </message>
    <message>
        <source>New project / client</source>
        <translation>新建项目 / 客户</translation>
    </message>
    <message>
        <source>Type a name for the project.</source>
        <translation>请输入项目名称。</translation>
    </message>
    <message>
        <source>add a project</source>
        <translation>添加项目</translation>
    </message>
    <message>
        <source>Created project {name}. Tag calls with the header X-Tokenwallet-Project: {name}.</source>
        <translation>已创建项目 {name}。用请求头 X-Tokenwallet-Project: {name} 标记调用。</translation>
    </message>
    <message>
        <source>No calls yet. Point a tool at the proxy (see Connect) and its calls show up here.</source>
        <translation>还没有调用。把工具指向代理（见“连接”），它的调用就会显示在这里。</translation>
    </message>
    <message>
        <source>Agent sessions</source>
        <translation>智能体会话</translation>
    </message>
    <message>
        <source>{len} running</source>
        <translation>{len} 个进行中</translation>
    </message>
    <message>
        <source>{n} calls since the window opened</source>
        <translation>窗口打开以来 {n} 次调用</translation>
    </message>
    <message>
        <source>{refused} refused</source>
        <translation>{refused} 次被拒绝</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>usage invalid, charged the hold</source>
        <translation>用量无效，按预占金额计费</translation>
    </message>
    <message>
        <source>over the output cap</source>
        <translation>超出输出上限</translation>
    </message>
    <message>
        <source>no usage, estimated</source>
        <translation>没有用量数据，已估算</translation>
    </message>
    <message>
        <source>metered offline, written when the shared wallet is back</source>
        <translation>离线计量，共用钱包恢复后写入</translation>
    </message>
    <message>
        <source>streaming…</source>
        <translation>流式传输中…</translation>
    </message>
    <message>
        <source>running…</source>
        <translation>进行中…</translation>
    </message>
    <message>
        <source>refused (402)</source>
        <translation>已拒绝（402）</translation>
    </message>
    <message>
        <source>upstream error</source>
        <translation>上游错误</translation>
    </message>
    <message>
        <source>settled</source>
        <translation>已结算</translation>
    </message>
    <message>
        <source> · downgraded from {downgraded_from}</source>
        <translation> · 由 {downgraded_from} 降级</translation>
    </message>
    <message>
        <source>estimated</source>
        <translation>估算</translation>
    </message>
    <message>
        <source>from {tool}&apos;s log</source>
        <translation>来自 {tool} 的日志</translation>
    </message>
    <message>
        <source>{money}/month · use from {tool} logs</source>
        <translation>{money}/月 · 用量来自 {tool} 日志</translation>
    </message>
    <message>
        <source>&lt;b&gt;{sentence}.&lt;/b&gt;</source>
        <translation>&lt;b&gt;{sentence}。&lt;/b&gt;</translation>
    </message>
    <message>
        <source>A plan you described (custom)</source>
        <translation>你自定义的套餐</translation>
    </message>
    <message>
        <source>Paste a prompt here, open a file, or drop one on this box.</source>
        <translation>在此粘贴提示词、打开文件，或把文件拖到这里。</translation>
    </message>
    <message>
        <source>Open file…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> tokens</translation>
    </message>
    <message>
        <source>Expected output</source>
        <translation>预计输出</translation>
    </message>
    <message>
        <source>&lt;b&gt;Cheaper models&lt;/b&gt;</source>
        <translation>&lt;b&gt;更便宜的模型&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Preview with the cheapest</source>
        <translation>用最便宜的模型预估</translation>
    </message>
    <message>
        <source>Open a prompt file</source>
        <translation>打开提示词文件</translation>
    </message>
    <message>
        <source>reading {name}…</source>
        <translation>正在读取 {name}…</translation>
    </message>
    <message>
        <source>{name} is the wallet&apos;s own file, not a prompt</source>
        <translation>{name} 是钱包自身的文件，不是提示词</translation>
    </message>
    <message>
        <source>{name} is {value} MB; the preview reads files up to 64 MB</source>
        <translation>{name} 有 {value} MB；预估最多读取 64 MB 的文件</translation>
    </message>
    <message>
        <source>{name} is counted from the file ({size:,} bytes); type here to preview a prompt instead.</source>
        <translation>{name} 按文件内容计数（{size:,} 字节）；在此输入可改为预估提示词。</translation>
    </message>
    <message>
        <source>{name} · {size:,} bytes</source>
        <translation>{name} · {size:,} 字节</translation>
    </message>
    <message>
        <source>Could not read {name}: {exc}</source>
        <translation>无法读取 {name}：{exc}</translation>
    </message>
    <message>
        <source>Cannot preview</source>
        <translation>无法预估</translation>
    </message>
    <message>
        <source>Paste a prompt to see what it will cost.</source>
        <translation>粘贴提示词，即可看到它的费用。</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>精确</translation>
    </message>
    <message>
        <source>estimate</source>
        <translation>估算</translation>
    </message>
    <message>
        <source>
of which {format_tokens} for images</source>
        <translation>
其中 {format_tokens} 用于图片</translation>
    </message>
    <message>
        <source> — an image URL counts at the largest size the model bills</source>
        <translation> — 图片 URL 按该模型计费的最大尺寸计算</translation>
    </message>
    <message>
        <source>{format_tokens} in ({mark}) + {format_tokens2} out{images}</source>
        <translation>输入 {format_tokens}（{mark}）+ 输出 {format_tokens2}{images}</translation>
    </message>
    <message>
        <source>counted with {method}</source>
        <translation>计数方式：{method}</translation>
    </message>
    <message>
        <source> · no catalog price: fallback rates</source>
        <translation> · 价目表中无此价格：使用备用费率</translation>
    </message>
    <message>
        <source>input {money} · prices: {price_source}{price_note}</source>
        <translation>输入 {money} · 价格来源：{price_source}{price_note}</translation>
    </message>
    <message>
        <source>{value} {title}: {amount} of {amount2} available ({share})</source>
        <translation>{value} {title}：需要 {amount}，可用 {amount2}（{share}）</translation>
    </message>
    <message>
        <source>✘ {title}: nothing left</source>
        <translation>✘ {title}：已无剩余</translation>
    </message>
    <message>
        <source>No cheaper model of the same kind for this prompt.</source>
        <translation>没有适合此提示词的同类更便宜模型。</translation>
    </message>
    <message>
        <source>Preview with {model}</source>
        <translation>用 {model} 预估</translation>
    </message>
    <message>
        <source>expected output length cannot be negative</source>
        <translation>预计输出长度不能为负数</translation>
    </message>
    <message>
        <source>Fits every budget that applies.</source>
        <translation>所有适用的预算都够用。</translation>
    </message>
    <message>
        <source>Would be refused: {envelope_title} cannot cover it.</source>
        <translation>会被拒绝：{envelope_title} 不够支付。</translation>
    </message>
    <message>
        <source>Would be switched to a cheaper model: {envelope_title} cannot cover it.</source>
        <translation>会切换到更便宜的模型：{envelope_title} 不够支付。</translation>
    </message>
    <message>
        <source>Over {envelope_title}, which only warns: it would go through.</source>
        <translation>超出 {envelope_title}，但它只警告：调用会照常通过。</translation>
    </message>
    <message>
        <source>No budget applies to {profile}: nothing limits this call.</source>
        <translation>没有适用于 {profile} 的预算：这次调用不受任何限制。</translation>
    </message>
    <message>
        <source>No budget applies: nothing limits this call.</source>
        <translation>没有适用的预算：这次调用不受任何限制。</translation>
    </message>
    <message>
        <source>The keychain could not be read ({exc}): every model shows as &apos;no key&apos;.</source>
        <translation>无法读取钥匙串（{exc}）：所有模型都显示为“无密钥”。</translation>
    </message>
    <message>
        <source>nothing left</source>
        <translation>已无剩余</translation>
    </message>
    <message>
        <source>under 0.01 %</source>
        <translation>低于 0.01%</translation>
    </message>
    <message>
        <source>same tier</source>
        <translation>同档位</translation>
    </message>
    <message>
        <source>{tier} tier</source>
        <translation>{tier}档</translation>
    </message>
    <message>
        <source> and {wh_text}</source>
        <translation>，并节省 {wh_text}</translation>
    </message>
    <message>
        <source>{name}: {tier} for this prompt, saves {saving_pct} % ({money}){energy}</source>
        <translation>{name}：{tier}，用于此提示词可节省 {saving_pct}%（{money}）{energy}</translation>
    </message>
    <message>
        <source>Day (UTC)</source>
        <translation>日期（UTC）</translation>
    </message>
    <message>
        <source>Metered</source>
        <translation>已计量</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差额</translation>
    </message>
    <message>
        <source>Likely cause</source>
        <translation>可能原因</translation>
    </message>
    <message>
        <source>Compare with provider</source>
        <translation>与服务商对账</translation>
    </message>
    <message>
        <source>Compare with a CSV export…</source>
        <translation>与 CSV 导出对账…</translation>
    </message>
    <message>
        <source>Only rows that differ</source>
        <translation>只看有差异的行</translation>
    </message>
    <message>
        <source>Pick a provider and a month, then Check: its bill and the wallet side by side.</source>
        <translation>选择服务商和月份，然后点“对账”：账单与钱包并排显示。</translation>
    </message>
    <message>
        <source>paste a read-only admin key for the provider above</source>
        <translation>粘贴上面所选服务商的只读管理密钥</translation>
    </message>
    <message>
        <source>Save admin key</source>
        <translation>保存管理密钥</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Opt-in: the provider&apos;s figures come from its admin API with a read-only admin key kept in your keychain (&lt;code&gt;tokenwallet key set openai-admin&lt;/code&gt;, &lt;code&gt;anthropic-admin&lt;/code&gt;, &lt;code&gt;openrouter-admin&lt;/code&gt;), or from its console&apos;s CSV export. Days are UTC days.</source>
        <translation>可选功能：服务商的数据来自其管理 API，使用保存在钥匙串中的只读管理密钥（&lt;code&gt;tokenwallet key set openai-admin&lt;/code&gt;、&lt;code&gt;anthropic-admin&lt;/code&gt;、&lt;code&gt;openrouter-admin&lt;/code&gt;），或来自其控制台导出的 CSV。日期均为 UTC 日。</translation>
    </message>
    <message>
        <source>Admin key</source>
        <translation>管理密钥</translation>
    </message>
    <message>
        <source>Asking the provider…</source>
        <translation>正在查询服务商…</translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation>正在读取 {name}…</translation>
    </message>
    <message>
        <source>store a provider admin key</source>
        <translation>保存服务商管理密钥</translation>
    </message>
    <message>
        <source>Saved the {name} key in {backend_name}.</source>
        <translation>已把 {name} 密钥保存到 {backend_name}。</translation>
    </message>
    <message>
        <source>Not saved: {e}</source>
        <translation>未保存：{e}</translation>
    </message>
    <message>
        <source>Provider&apos;s usage/cost export</source>
        <translation>服务商的用量/费用导出文件</translation>
    </message>
    <message>
        <source>Note: {n}</source>
        <translation>注意：{n}</translation>
    </message>
    <message>
        <source>{total} row(s) compared, {shown} shown.</source>
        <translation>已对比 {total} 行，显示 {shown} 行。</translation>
    </message>
    <message>
        <source>Nothing to compare in this period.</source>
        <translation>此期间没有可对比的数据。</translation>
    </message>
    <message>
        <source>(all models)</source>
        <translation>（所有模型）</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>Burn rate</source>
        <translation>消耗速度</translation>
    </message>
    <message>
        <source>Providers and their API keys</source>
        <translation>服务商及其 API 密钥</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Base URL</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>paste the provider&apos;s API key (kept in the OS keychain, never in the wallet)</source>
        <translation>粘贴服务商的 API 密钥（保存在系统钥匙串中，从不写入钱包）</translation>
    </message>
    <message>
        <source>Save provider</source>
        <translation>保存服务商</translation>
    </message>
    <message>
        <source>Forget key</source>
        <translation>删除密钥</translation>
    </message>
    <message>
        <source>Keys are kept in: {backend}.</source>
        <translation>密钥保存在：{backend}。</translation>
    </message>
    <message>
        <source>local, no key needed</source>
        <translation>本地，无需密钥</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:{danger}&apos;&gt;&lt;b&gt;No keychain&lt;/b&gt; (see the notice at the top).&lt;/span&gt; Until there is one, calls to providers that need a key cannot be forwarded; local providers (Ollama, LM Studio) work without one.</source>
        <translation>&lt;span style=&apos;color:{danger}&apos;&gt;&lt;b&gt;没有钥匙串&lt;/b&gt;（见顶部提示）。&lt;/span&gt;在有钥匙串之前，需要密钥的服务商调用无法转发；本地服务商（Ollama、LM Studio）不需要密钥也能使用。</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:{danger}&apos;&gt;Keychain trouble: {exc}&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:{danger}&apos;&gt;钥匙串出错：{exc}&lt;/span&gt;</translation>
    </message>
    <message>
        <source>Not saved: pick or type a provider name.</source>
        <translation>未保存：请选择或输入服务商名称。</translation>
    </message>
    <message>
        <source>Not saved: the base URL starts with http:// or https://.</source>
        <translation>未保存：base URL 应以 http:// 或 https:// 开头。</translation>
    </message>
    <message>
        <source>Not saved: the key contains spaces (paste only the key).</source>
        <translation>未保存：密钥中有空格（只粘贴密钥本身）。</translation>
    </message>
    <message>
        <source>change a provider or its key</source>
        <translation>修改服务商或其密钥</translation>
    </message>
    <message>
        <source>{name} is a new provider: give its base URL</source>
        <translation>{name} 是新的服务商：请填写它的 base URL</translation>
    </message>
    <message>
        <source>Saving {name}&apos;s key in the keychain…</source>
        <translation>正在把 {name} 的密钥保存到钥匙串…</translation>
    </message>
    <message>
        <source>Saved {name}; its key is in {backend_name}.</source>
        <translation>已保存 {name}；其密钥保存在 {backend_name}。</translation>
    </message>
    <message>
        <source>there is no keychain (see the notice at the top)</source>
        <translation>没有钥匙串（见顶部提示）</translation>
    </message>
    <message>
        <source>{name} saved, but its key was not stored: {why}.</source>
        <translation>{name} 已保存，但密钥未能存储：{why}。</translation>
    </message>
    <message>
        <source>remove a provider key</source>
        <translation>删除服务商密钥</translation>
    </message>
    <message>
        <source>Removed {name}&apos;s key from the keychain.</source>
        <translation>已从钥匙串中删除 {name} 的密钥。</translation>
    </message>
    <message>
        <source>Not removed: {e}</source>
        <translation>未删除：{e}</translation>
    </message>
    <message>
        <source>Meter, display and defaults</source>
        <translation>计量器、显示与默认值</translation>
    </message>
    <message>
        <source>units of that currency per 1 USD, e.g. 0.92</source>
        <translation>每 1 USD 折合多少该币种，例如 0.92</translation>
    </message>
    <message>
        <source>Units of the display currency per 1 USD. For CNY this is also the rate calls priced in yuan are booked at (tokenwallet fx).</source>
        <translation>每 1 USD 折合多少显示币种。对 CNY 而言，这也是以人民币定价的调用入账时使用的汇率（tokenwallet fx）。</translation>
    </message>
    <message>
        <source>refuse calls to models without a price</source>
        <translation>拒绝调用没有价格的模型</translation>
    </message>
    <message>
        <source>charge fallback prices and mark them</source>
        <translation>按备用价格计费并加以标记</translation>
    </message>
    <message>
        <source>fetch newer prices in the background (opt-in; never blocks start-up)</source>
        <translation>在后台获取更新的价格（需手动开启；从不拖慢启动）</translation>
    </message>
    <message>
        <source>import Claude Code, Codex and Gemini CLI usage from their logs continuously (what bypassed the meter)</source>
        <translation>持续从日志导入 Claude Code、Codex 和 Gemini CLI 的用量（绕过计量器的部分）</translation>
    </message>
    <message>
        <source>start metering at login</source>
        <translation>登录时开始计量</translation>
    </message>
    <message>
        <source>follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Meter address</source>
        <translation>计量器地址</translation>
    </message>
    <message>
        <source>rate</source>
        <translation>汇率</translation>
    </message>
    <message>
        <source>Display currency</source>
        <translation>显示币种</translation>
    </message>
    <message>
        <source>Default warnings (%)</source>
        <translation>默认警告阈值（%）</translation>
    </message>
    <message>
        <source>Unknown models</source>
        <translation>未知模型</translation>
    </message>
    <message>
        <source>Restart the meter on the new address</source>
        <translation>在新地址上重启计量器</translation>
    </message>
    <message>
        <source>the currency is a three-letter code like EUR</source>
        <translation>币种应为三个字母的代码，例如 EUR</translation>
    </message>
    <message>
        <source>the currency rate must be more than zero</source>
        <translation>汇率必须大于零</translation>
    </message>
    <message>
        <source>the meter address cannot be empty</source>
        <translation>计量器地址不能为空</translation>
    </message>
    <message>
        <source>give at least one warning threshold, e.g. 80</source>
        <translation>请至少填写一个警告阈值，例如 80</translation>
    </message>
    <message>
        <source>change the wallet&apos;s settings</source>
        <translation>修改钱包设置</translation>
    </message>
    <message>
        <source>wrote {path}</source>
        <translation>已写入 {path}</translation>
    </message>
    <message>
        <source>removed {path}</source>
        <translation>已删除 {path}</translation>
    </message>
    <message>
        <source>start at login not changed: {exc}</source>
        <translation>登录时启动的设置未更改：{exc}</translation>
    </message>
    <message>
        <source>the meter moves to the new address when restarted (button below, or the next start); point your tools at it</source>
        <translation>重启后计量器会迁到新地址（点下方按钮，或下次启动时）；请把工具指向新地址</translation>
    </message>
    <message>
        <source>price updates on: newer prices are fetched in the background</source>
        <translation>价格更新已开启：在后台获取更新的价格</translation>
    </message>
    <message>
        <source>price updates off</source>
        <translation>价格更新已关闭</translation>
    </message>
    <message>
        <source>log imports on</source>
        <translation>日志导入已开启</translation>
    </message>
    <message>
        <source>log imports off</source>
        <translation>日志导入已关闭</translation>
    </message>
    <message>
        <source>.</source>
        <translation>。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Webhooks are sent by the process that runs the meter (this app, or `tokenwallet serve`). ntfy: e.g. https://ntfy.sh/your-secret-topic and the ntfy app on the phone.</source>
        <translation>Webhook 由运行计量器的进程发送（本应用或 `tokenwallet serve`）。ntfy：例如 https://ntfy.sh/your-secret-topic，并在手机上安装 ntfy 应用。</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Desktop notifications for budget warnings, guard trips and refused calls</source>
        <translation>预算警告、防护规则触发和调用被拒时发送桌面通知</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>No alerts yet — add a webhook below.</source>
        <translation>还没有提醒 — 请在下方添加 Webhook。</translation>
    </message>
    <message>
        <source>optional secret header, e.g. Authorization: Bearer tk_… (keychain)</source>
        <translation>可选的保密请求头，例如 Authorization: Bearer tk_…（存于钥匙串）</translation>
    </message>
    <message>
        <source>Add webhook</source>
        <translation>添加 Webhook</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Send a test</source>
        <translation>发送测试</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>请求头</translation>
    </message>
    <message>
        <source>change desktop notifications</source>
        <translation>修改桌面通知</translation>
    </message>
    <message>
        <source>Desktop notifications on.</source>
        <translation>桌面通知已开启。</translation>
    </message>
    <message>
        <source>Desktop notifications off.</source>
        <translation>桌面通知已关闭。</translation>
    </message>
    <message>
        <source>add a webhook</source>
        <translation>添加 Webhook</translation>
    </message>
    <message>
        <source>Added webhook #{id}. Send a test to check it reaches your phone.</source>
        <translation>已添加 Webhook #{id}。发送一次测试，确认能送达你的手机。</translation>
    </message>
    <message>
        <source>Select a webhook first.</source>
        <translation>请先选择一个 Webhook。</translation>
    </message>
    <message>
        <source>remove a webhook</source>
        <translation>删除 Webhook</translation>
    </message>
    <message>
        <source> (its header value stayed in the keychain: {problem})</source>
        <translation>（其请求头的值仍留在钥匙串中：{problem}）</translation>
    </message>
    <message>
        <source>Removed webhook #{id}.{note}</source>
        <translation>已删除 Webhook #{id}。{note}</translation>
    </message>
    <message>
        <source>Sending a test to webhook #{id} …</source>
        <translation>正在向 Webhook #{id} 发送测试…</translation>
    </message>
    <message>
        <source>Webhook #{id} answered HTTP {status}: delivered.</source>
        <translation>Webhook #{id} 返回 HTTP {status}：已送达。</translation>
    </message>
    <message>
        <source>Webhook #{id} answered HTTP {status}.</source>
        <translation>Webhook #{id} 返回 HTTP {status}。</translation>
    </message>
    <message>
        <source>Energy per call comes from ecologits; CO₂ from the electricity mix: an ISO country code (FRA, USA…), WOR for the world average or EEE for Europe; automatic uses the country of the wallet&apos;s time zone.</source>
        <translation>每次调用的能耗来自 ecologits；CO₂ 取决于电力结构：填 ISO 国家代码（FRA、USA…），WOR 表示全球平均，EEE 表示欧洲；“自动”按钱包时区所在的国家计算。</translation>
    </message>
    <message>
        <source>Energy and CO₂</source>
        <translation>能耗与 CO₂</translation>
    </message>
    <message>
        <source>Save energy settings</source>
        <translation>保存能耗设置</translation>
    </message>
    <message>
        <source>Electricity mix</source>
        <translation>电力结构</translation>
    </message>
    <message>
        <source>GPU draw (Ollama, LM Studio)</source>
        <translation>GPU 功耗（Ollama、LM Studio）</translation>
    </message>
    <message>
        <source>automatic: {zone_for_timezone} (from the time zone {tz})</source>
        <translation>自动：{zone_for_timezone}（根据时区 {tz}）</translation>
    </message>
    <message>
        <source>Not saved: no electricity mix for {text!r} (an ISO code like FRA, or WOR)</source>
        <translation>未保存：没有 {text!r} 的电力结构（请填 ISO 代码，如 FRA，或 WOR）</translation>
    </message>
    <message>
        <source>Saved: {energy_zone} mix, {value} W; applies to calls computed from now.</source>
        <translation>已保存：{energy_zone} 电力结构，{value} W；从现在起计算的调用生效。</translation>
    </message>
    <message>
        <source>restart Token Wallet to switch</source>
        <translation>重启 Token Wallet 后切换</translation>
    </message>
    <message>
        <source>Where the wallet lives</source>
        <translation>钱包存放位置</translation>
    </message>
    <message>
        <source>postgresql://USER@HOST/DATABASE?sslmode=require (no password here)</source>
        <translation>postgresql://USER@HOST/DATABASE?sslmode=require（此处不要填写密码）</translation>
    </message>
    <message>
        <source>the database password (kept in the keychain), if it needs one</source>
        <translation>数据库密码（保存在钥匙串中），如果需要的话</translation>
    </message>
    <message>
        <source>Use this shared wallet</source>
        <translation>使用这个共享钱包</translation>
    </message>
    <message>
        <source>Use this computer&apos;s file</source>
        <translation>使用本机文件</translation>
    </message>
    <message>
        <source>Shared wallet</source>
        <translation>共享钱包</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>This computer&apos;s file: {wallet_path}</source>
        <translation>本机文件：{wallet_path}</translation>
    </message>
    <message>
        <source> (from TOKENWALLET_WALLET_URL or --wallet)</source>
        <translation>（来自 TOKENWALLET_WALLET_URL 或 --wallet）</translation>
    </message>
    <message>
        <source>A shared PostgreSQL wallet: {address}{how}</source>
        <translation>共享的 PostgreSQL 钱包：{address}{how}</translation>
    </message>
    <message>
        <source>This computer now uses the shared wallet at {address}: {restart}.</source>
        <translation>本机现在使用位于 {address} 的共享钱包：{restart}。</translation>
    </message>
    <message>
        <source>This computer uses its own wallet file again ({wallet_path}): {restart}.</source>
        <translation>本机重新使用自己的钱包文件（{wallet_path}）：{restart}。</translation>
    </message>
    <message>
        <source>Reaching the database…</source>
        <translation>正在连接数据库…</translation>
    </message>
    <message>
        <source>Not switched: {exc}</source>
        <translation>未切换：{exc}</translation>
    </message>
    <message>
        <source>Project: {name}</source>
        <translation>项目：{name}</translation>
    </message>
    <message>
        <source>Some models…</source>
        <translation>部分模型…</translation>
    </message>
    <message>
        <source>A provider…</source>
        <translation>某个服务商…</translation>
    </message>
    <message>
        <source>pick who this is for (whole wallet, a profile or a project)</source>
        <translation>选择适用对象（整个钱包、某个账户或某个项目）</translation>
    </message>
    <message>
        <source>New key for {profile}</source>
        <translation>{profile} 的新密钥</translation>
    </message>
    <message>
        <source>This is the key for &lt;b&gt;{profile}&lt;/b&gt;. It is shown &lt;b&gt;only now&lt;/b&gt;: the wallet keeps a hash, not the key. Copy it into your tool&apos;s settings (see Connect your tools).</source>
        <translation>这是 &lt;b&gt;{profile}&lt;/b&gt; 的密钥。它&lt;b&gt;只显示这一次&lt;/b&gt;：钱包只保存其哈希，不保存密钥本身。请把它复制到你工具的设置中（见“连接你的工具”）。</translation>
    </message>
    <message>
        <source>Provider key</source>
        <translation>服务商密钥</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Test call</source>
        <translation>测试调用</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Welcome to Token Wallet</source>
        <translation>欢迎使用 Token Wallet</translation>
    </message>
    <message>
        <source>S&amp;kip for now</source>
        <translation>暂时跳过(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>上一步(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation>下一步(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Finish</source>
        <translation>完成(&amp;F)</translation>
    </message>
    <message>
        <source>Sends the smallest call to &lt;b&gt;{provider_name}&lt;/b&gt; (one word out) with profile &lt;b&gt;{profile_name}&lt;/b&gt;&apos;s key through the meter at {proxy_url}.</source>
        <translation>通过位于 {proxy_url} 的计量器，用账户 &lt;b&gt;{profile_name}&lt;/b&gt; 的密钥向 &lt;b&gt;{provider_name}&lt;/b&gt; 发送一次最小的调用（只输出一个词）。</translation>
    </message>
    <message>
        <source>The key has spaces in it: paste only the key.</source>
        <translation>密钥中有空格：请只粘贴密钥本身。</translation>
    </message>
    <message>
        <source>Checking the keychain…</source>
        <translation>正在检查钥匙串…</translation>
    </message>
    <message>
        <source>Paste your {provider} API key (or choose local models).</source>
        <translation>粘贴你的 {provider} API 密钥（或选择本地模型）。</translation>
    </message>
    <message>
        <source>{provider}&apos;s key is in {backend_name}.</source>
        <translation>{provider} 的密钥已保存在 {backend_name}。</translation>
    </message>
    <message>
        <source>The key was not stored: {exc}</source>
        <translation>密钥未保存：{exc}</translation>
    </message>
    <message>
        <source>a budget is more than nothing</source>
        <translation>预算必须大于零</translation>
    </message>
    <message>
        <source>Not saved: {exc} (try $20).</source>
        <translation>未保存：{exc}（试试 $20）。</translation>
    </message>
    <message>
        <source>Not saved: give the profile a name, e.g. me.</source>
        <translation>未保存：请给账户起个名字，例如 me。</translation>
    </message>
    <message>
        <source>set a budget</source>
        <translation>设置预算</translation>
    </message>
    <message>
        <source>The meter is not running (see the notice in the main window).</source>
        <translation>计量器没有运行（见主窗口中的提示）。</translation>
    </message>
    <message>
        <source>The test call did not go through: {message}.</source>
        <translation>测试调用没有成功：{message}。</translation>
    </message>
    <message>
        <source>blocks calls</source>
        <translation>拦截调用</translation>
    </message>
    <message>
        <source>only warns</source>
        <translation>只发出警告</translation>
    </message>
    <message>
        <source>Your test call is in History.</source>
        <translation>你的测试调用已记入历史记录。</translation>
    </message>
    <message>
        <source>Profile &lt;b&gt;{profile_name}&lt;/b&gt; has {amount} {period} and {action} when it is used up. {tested}&lt;br&gt;&lt;br&gt;Run your tool with the lines from step 3 (they are also on the Connect page): each call shows up on the Live meter and the Dashboard. Reopen this welcome with F1.</source>
        <translation>账户 &lt;b&gt;{profile_name}&lt;/b&gt; 的预算为每{period} {amount}，用完后{action}。{tested}&lt;br&gt;&lt;br&gt;用第 3 步中的命令运行你的工具（“连接”页面上也有）：每次调用都会显示在“实时计量”和“仪表盘”中。按 F1 可重新打开本向导。</translation>
    </message>
    <message>
        <source>a month</source>
        <translation>月</translation>
    </message>
    <message>
        <source>a week</source>
        <translation>周</translation>
    </message>
    <message>
        <source>a day</source>
        <translation>天</translation>
    </message>
    <message>
        <source>I have an &amp;API key from a provider</source>
        <translation>我有服务商的 &amp;API 密钥</translation>
    </message>
    <message>
        <source>I only use &amp;local models (no key needed)</source>
        <translation>我只用本地模型（不需要密钥）(&amp;L)</translation>
    </message>
    <message>
        <source>paste the key (sk-…)</source>
        <translation>粘贴密钥（sk-…）</translation>
    </message>
    <message>
        <source>&amp;Provider</source>
        <translation>服务商(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Key</source>
        <translation>密钥(&amp;K)</translation>
    </message>
    <message>
        <source>Kept in your system keychain, never in the wallet file. Tools get a wallet key of their own instead; the meter adds the real key when it forwards a call.</source>
        <translation>保存在系统钥匙串中，从不写入钱包文件。工具拿到的是钱包为它生成的专用密钥；计量器转发调用时再换上真正的密钥。</translation>
    </message>
    <message>
        <source>Local models</source>
        <translation>本地模型</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>服务器(&amp;S)</translation>
    </message>
    <message>
        <source>Its &amp;address</source>
        <translation>地址(&amp;A)</translation>
    </message>
    <message>
        <source>Calls to local models are metered in tokens and cost nothing.</source>
        <translation>调用本地模型按 tokens 计量，不产生费用。</translation>
    </message>
    <message>
        <source>1 · Where do your calls go?</source>
        <translation>1 · 你的调用发往哪里？</translation>
    </message>
    <message>
        <source>&amp;Block calls once it is used up (recommended)</source>
        <translation>用完后拦截调用（推荐）(&amp;B)</translation>
    </message>
    <message>
        <source>Only &amp;warn me; let calls go on</source>
        <translation>只警告我，调用照常进行(&amp;W)</translation>
    </message>
    <message>
        <source>P&amp;rofile</source>
        <translation>账户(&amp;R)</translation>
    </message>
    <message>
        <source>every</source>
        <translation>每</translation>
    </message>
    <message>
        <source>&amp;Amount</source>
        <translation>金额(&amp;A)</translation>
    </message>
    <message>
        <source>When it runs out</source>
        <translation>用完时</translation>
    </message>
    <message>
        <source>2 · How much may be spent?</source>
        <translation>2 · 最多可以花多少？</translation>
    </message>
    <message>
        <source>A profile is who spends (you, a child, a client project). Its budget stops spending when it is used up; warnings come at 50, 80 and 95 %.</source>
        <translation>账户代表谁在花钱（你自己、孩子、某个客户项目）。预算用完就会停止支出；在 50%、80% 和 95% 时发出警告。</translation>
    </message>
    <message>
        <source>money like $20 or €15, or tokens like 500k</source>
        <translation>金额如 $20 或 €15，或 tokens 如 500k</translation>
    </message>
    <message>
        <source>One command (a wallet key of its own for each session)</source>
        <translation>一条命令（每次会话使用专用的钱包密钥）</translation>
    </message>
    <message>
        <source>Or set these in your shell</source>
        <translation>或者在 shell 中设置这些变量</translation>
    </message>
    <message>
        <source>Your &amp;tool</source>
        <translation>你的工具(&amp;T)</translation>
    </message>
    <message>
        <source>3 · Connect your tool</source>
        <translation>3 · 连接你的工具</translation>
    </message>
    <message>
        <source>Your tool&apos;s calls then go to the meter, which forwards them with your provider key and charges this profile. The checklist ticks &apos;tool connected&apos; at its first call.</source>
        <translation>之后你的工具会把调用发给计量器，计量器用你的服务商密钥转发，并记入此账户。工具的第一次调用到达时，清单上的“已连接工具”会自动打勾。</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#1a7f37&apos;&gt;✓ A call from your tool came through the meter.&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#1a7f37&apos;&gt;✓ 已收到你的工具经计量器发出的调用。&lt;/span&gt;</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#57606a&apos;&gt;Waiting for your tool&apos;s first call… (or go on and send a test call)&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#57606a&apos;&gt;正在等待你的工具的第一次调用…（也可以继续，发送一次测试调用）&lt;/span&gt;</translation>
    </message>
    <message>
        <source>The &apos;tokenwallet&apos; command is not on your PATH yet, so the line names this checkout&apos;s; run &apos;tools/run install-cli&apos; once to add it (see docs/first-run.md).</source>
        <translation>&apos;tokenwallet&apos; 命令还不在你的 PATH 中，所以这一行用的是本源码目录中的命令；运行一次 &apos;tools/run install-cli&apos; 即可添加（见 docs/first-run.md）。</translation>
    </message>
    <message>
        <source>&amp;Send the test call</source>
        <translation>发送测试调用(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>4 · A real call through the meter</source>
        <translation>4 · 一次经过计量器的真实调用</translation>
    </message>
    <message>
        <source>✓ {message}. It cost {money}.</source>
        <translation>✓ {message}。花费 {money}。</translation>
    </message>
    <message>
        <source>&lt;b&gt;The ledger row&lt;/b&gt;&lt;br&gt;{at:%Y-%m-%d %H:%M:%S} · profile {profile} · {provider}/{model}&lt;br&gt;{format_tokens} in · {format_tokens2} out · &lt;b&gt;{money}&lt;/b&gt; · priced from {price_source}</source>
        <translation>&lt;b&gt;账本记录&lt;/b&gt;&lt;br&gt;{at:%Y-%m-%d %H:%M:%S} · 账户 {profile} · {provider}/{model}&lt;br&gt;输入 {format_tokens} · 输出 {format_tokens2} · &lt;b&gt;{money}&lt;/b&gt; · 价格来源 {price_source}</translation>
    </message>
    <message>
        <source>Done — your calls are metered</source>
        <translation>完成 — 你的调用已被计量</translation>
    </message>
    <message>
        <source>the {ordinal}</source>
        <comment>or {day}: the plain number</comment>
        <translation>{day}日</translation>
    </message>
    <message>
        <source>d MMM yyyy</source>
        <comment>date format</comment>
        <translation>yyyy年M月d日</translation>
    </message>
    <message>
        <source>MMMM yyyy</source>
        <comment>date format</comment>
        <translation>yyyy年M月</translation>
    </message>
    <message>
        <source>d MMM</source>
        <comment>date format</comment>
        <translation>M月d日</translation>
    </message>
    <message>
        <source>The language of this window and of the tokenwallet command; the environment variable {env} overrides it.</source>
        <translation>本窗口和 tokenwallet 命令使用的语言；环境变量 {env} 优先于此设置。</translation>
    </message>
    <message>
        <source>Saved, but {env}={value} is set here: it decides the language while it is set.</source>
        <translation>已保存，但这里设置了 {env}={value}：只要它存在，界面语言就由它决定。</translation>
    </message>
    <message>
        <source>Saved: the new language applies when Token Wallet restarts.</source>
        <translation>已保存：重启 Token Wallet 后使用新语言。</translation>
    </message>
    <message>
        <source>day</source>
        <translation>天</translation>
    </message>
    <message>
        <source>week</source>
        <translation>周</translation>
    </message>
    <message>
        <source>month</source>
        <translation>月</translation>
    </message>
    <message>
        <source>year</source>
        <translation>年</translation>
    </message>
    <message>
        <source>prepaid</source>
        <translation>预付</translation>
    </message>
    <message>
        <source>engagement</source>
        <translation>整个合作期</translation>
    </message>
    <message>
        <source>warn</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>block</source>
        <translation>拦截</translation>
    </message>
    <message>
        <source>downgrade</source>
        <translation>降级</translation>
    </message>
    <message>
        <source>member</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>agent</source>
        <translation>智能体</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>owner</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>child</source>
        <translation>孩子</translation>
    </message>
    <message>
        <source>adult</source>
        <translation>成人</translation>
    </message>
    <message>
        <source>active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>已吊销</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>stored</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>assign</source>
        <translation>分配</translation>
    </message>
    <message>
        <source>top-up</source>
        <translation>充值</translation>
    </message>
    <message>
        <source>transfer</source>
        <translation>划转</translation>
    </message>
    <message>
        <source>transfer in</source>
        <translation>转入</translation>
    </message>
    <message>
        <source>transfer out</source>
        <translation>转出</translation>
    </message>
    <message>
        <source>rollover</source>
        <translation>结转</translation>
    </message>
    <message>
        <source>expiry</source>
        <translation>过期</translation>
    </message>
    <message>
        <source>bonus</source>
        <translation>奖励</translation>
    </message>
    <message>
        <source>budget set</source>
        <translation>设置预算</translation>
    </message>
    <message>
        <source>any model</source>
        <translation>任意模型</translation>
    </message>
    <message>
        <source>budget</source>
        <translation>预算</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>frontier</source>
        <translation>旗舰</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高端</translation>
    </message>
    <message>
        <source>mid</source>
        <translation>中端</translation>
    </message>
    <message>
        <source>small</source>
        <translation>小型</translation>
    </message>
    <message>
        <source>wallet</source>
        <translation>钱包</translation>
    </message>
    <message>
        <source>profile</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>project</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>budget warnings</source>
        <translation>预算警告</translation>
    </message>
    <message>
        <source>refused calls</source>
        <translation>被拒调用</translation>
    </message>
    <message>
        <source>guard trips</source>
        <translation>防护规则触发</translation>
    </message>
    <message>
        <source>unused allowance carried over</source>
        <translation>未用完的额度已结转</translation>
    </message>
    <message>
        <source>overspend carried over as debt</source>
        <translation>超支部分已结转为欠额</translation>
    </message>
    <message>
        <source>light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>{kind} {name}</source>
        <translation>{kind} {name}</translation>
    </message>
    <message>
        <source>{scope} ({period})</source>
        <translation>{scope}（{period}）</translation>
    </message>
    <message>
        <source>4 characters or more; letters and spaces are allowed, and a passphrase of a few words is much harder to guess than a 4-digit PIN</source>
        <translation>至少 4 个字符；可以包含字母和空格，由几个词组成的口令比 4 位数字 PIN 难猜得多</translation>
    </message>
    <message>
        <source>a short or all-digit PIN keeps members out of the app, but anyone who copies the wallet file can find it in minutes; a passphrase of a few words is safer (change it any time)</source>
        <translation>过短或纯数字的 PIN 能挡住家庭成员，但任何复制了钱包文件的人几分钟内就能破解；由几个词组成的口令更安全（随时可以修改）</translation>
    </message>
    <message>
        <source>{kind}:{name}</source>
        <translation>{kind}：{name}</translation>
    </message>
    <message>
        <source>no allowance</source>
        <translation>没有额度</translation>
    </message>
    <message>
        <source>used up: calls are refused</source>
        <translation>已用完：调用会被拒绝</translation>
    </message>
    <message>
        <source>used up</source>
        <translation>已用完</translation>
    </message>
    <message>
        <source>nothing spent lately</source>
        <translation>最近没有支出</translation>
    </message>
    <message>
        <source>{per_day} a day: lasts until the reset</source>
        <translation>每天 {per_day}：可以用到重置</translation>
    </message>
    <message>
        <source>{per_day} a day: runs out today</source>
        <translation>每天 {per_day}：今天用完</translation>
    </message>
    <message>
        <source>ddd d MMM</source>
        <comment>date format</comment>
        <translation>M月d日 ddd</translation>
    </message>
    <message>
        <source>{per_day} a day: runs out around {day}</source>
        <translation>每天 {per_day}：约在 {day} 用完</translation>
    </message>
    <message>
        <source>{n} request(s) still in flight, held at {money}</source>
        <translation>{n} 个请求仍在进行中，预占 {money}</translation>
    </message>
    <message>
        <source>no cost from the provider for this day and model (usage only)</source>
        <translation>服务商没有给出该日该模型的费用（只有用量）</translation>
    </message>
    <message>
        <source>the provider has not reported this day yet (figures settle about a day after it ends)</source>
        <translation>服务商尚未报告这一天（数据约在当天结束一天后才稳定）</translation>
    </message>
    <message>
        <source>the provider has not closed this day yet (figures settle about a day after it ends)</source>
        <translation>服务商尚未结算这一天（数据约在当天结束一天后才稳定）</translation>
    </message>
    <message>
        <source>matches (within half a cent)</source>
        <translation>一致（相差不到半美分）</translation>
    </message>
    <message>
        <source>calls that bypassed the meter{more} (the provider sent no token counts to tell a price difference)</source>
        <translation>有调用绕过了计量器{more}（服务商没有提供 token 数，无法区分价格差异）</translation>
    </message>
    <message>
        <source>the wallet charged more than the provider billed</source>
        <translation>钱包记的费用比服务商账单多</translation>
    </message>
    <message>
        <source>{n} call(s) charged an estimate (the answer carried no usage)</source>
        <translation>{n} 次调用按估算计费（响应中没有用量数据）</translation>
    </message>
    <message>
        <source>calls that bypassed the meter: {tokens} more tokens{more} than the wallet saw, {money} at the meter&apos;s price</source>
        <translation>有调用绕过了计量器：比钱包记录的多 {tokens} tokens{more}，按计量器价格为 {money}</translation>
    </message>
    <message>
        <source>the wallet counted {tokens} tokens the provider did not bill ({money} at the meter&apos;s price: failed or refunded calls?)</source>
        <translation>钱包记录了 {tokens} tokens，但服务商没有计费（按计量器价格为 {money}：调用失败或已退款？）</translation>
    </message>
    <message>
        <source>price difference: the provider charged {money} more for the same tokens ({theirs} vs the meter&apos;s {ours} per 1M tokens on average; the meter uses {price})</source>
        <translation>价格差异：同样的 tokens，服务商多收了 {money}（平均每 1M tokens {theirs}，计量器为 {ours}；计量器使用 {price}）</translation>
    </message>
    <message>
        <source>price difference: the provider charged {money} less for the same tokens ({theirs} vs the meter&apos;s {ours} per 1M tokens on average; the meter uses {price})</source>
        <translation>价格差异：同样的 tokens，服务商少收了 {money}（平均每 1M tokens {theirs}，计量器为 {ours}；计量器使用 {price}）</translation>
    </message>
    <message>
        <source>calls that bypassed the meter (or a price difference: OpenRouter gives no breakdown here)</source>
        <translation>有调用绕过了计量器（也可能是价格差异：OpenRouter 在这里不提供明细）</translation>
    </message>
    <message>
        <source>Anthropic&apos;s cost report leaves out Priority Tier costs</source>
        <translation>Anthropic 的费用报告不包含 Priority Tier 的费用</translation>
    </message>
    <message>
        <source>OpenRouter reports a key&apos;s spend only for today, this week and this month</source>
        <translation>OpenRouter 只报告密钥在今天、本周和本月的花费</translation>
    </message>
    <message>
        <source>credits skipped: store a management key as &apos;openrouter-admin&apos; to see them</source>
        <translation>已跳过余额：把管理密钥保存为 &apos;openrouter-admin&apos; 即可查看</translation>
    </message>
    <message>
        <source>credits: {bought} bought, {used} used, {left} left</source>
        <translation>余额：已购 {bought}，已用 {used}，剩余 {left}</translation>
    </message>
    <message>
        <source> ({n} more requests)</source>
        <translation>（多 {n} 个请求）</translation>
    </message>
    <message>
        <source> ({n} more request)</source>
        <translation>（多 {n} 个请求）</translation>
    </message>
    <message>
        <source>{provider} ({source}): {start} … {last} (UTC days) — provider {theirs}, wallet {ours}, difference {difference}</source>
        <translation>{provider}（{source}）：{start} … {last}（UTC 日）— 服务商 {theirs}，钱包 {ours}，差额 {difference}</translation>
    </message>
    <message>
        <source>; {money} in the wallet on days the provider has not reported yet</source>
        <translation>；另有 {money} 记在服务商尚未报告的日期上</translation>
    </message>
    <message>
        <source>ddd HH:mm</source>
        <comment>date format</comment>
        <translation>ddd HH:mm</translation>
    </message>
    <message>
        <source>MMM dd HH:mm</source>
        <comment>date format</comment>
        <translation>M月d日 HH:mm</translation>
    </message>
    <message>
        <source>{days} d {hours} h</source>
        <translation>{days} 天 {hours} 小时</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} 小时 {minutes} 分</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} 分钟</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>{n}-hour window</source>
        <translation>{n} 小时窗口</translation>
    </message>
    <message>
        <source>{n}-minute window</source>
        <translation>{n} 分钟窗口</translation>
    </message>
    <message>
        <source>{n} request</source>
        <translation>{n} 次请求</translation>
    </message>
    <message>
        <source>{n} requests</source>
        <translation>{n} 次请求</translation>
    </message>
    <message>
        <source>no published limit</source>
        <translation>没有公开的上限</translation>
    </message>
    <message>
        <source>{pct} % of your limit {amount}</source>
        <translation>已用你设定上限 {amount} 的 {pct}%</translation>
    </message>
    <message>
        <source>{pct} % of ≈{amount} ({source})</source>
        <translation>已用约 {amount} 的 {pct}%（{source}）</translation>
    </message>
    <message>
        <source>{pct} % of {amount}</source>
        <translation>{amount} 的 {pct}%</translation>
    </message>
    <message>
        <source>{pct} % of ≈{amount}</source>
        <translation>约 {amount} 的 {pct}%</translation>
    </message>
    <message>
        <source>no published limit: set yours with &apos;tokenwallet plan set&apos;</source>
        <translation>没有公开的上限：可用 &apos;tokenwallet plan set&apos; 设定你自己的</translation>
    </message>
    <message>
        <source>limit: yours</source>
        <translation>上限：你设定的</translation>
    </message>
    <message>
        <source>limit: {source}</source>
        <translation>上限：{source}</translation>
    </message>
    <message>
        <source>no window running: the next request starts one</source>
        <translation>当前没有窗口：下一次请求会开启一个</translation>
    </message>
    <message>
        <source>rolling (set the reset time with &apos;plan set … --weekly-reset&apos;)</source>
        <translation>滚动计算（用 &apos;plan set … --weekly-reset&apos; 设定重置时间）</translation>
    </message>
    <message>
        <source>resets {when} (in {left})</source>
        <translation>{when} 重置（还有 {left}）</translation>
    </message>
    <message>
        <source>burn {money}/h · {tokens}/h</source>
        <translation>消耗 {money}/小时 · {tokens}/小时</translation>
    </message>
    <message>
        <source>{money} by the reset at this pace</source>
        <translation>按此速度到重置时为 {money}</translation>
    </message>
    <message>
        <source>limit reached</source>
        <translation>已达上限</translation>
    </message>
    <message>
        <source>limit reached at {when}</source>
        <translation>将在 {when} 达到上限</translation>
    </message>
    <message>
        <source>limit not reached before the reset</source>
        <translation>重置前不会达到上限</translation>
    </message>
    <message>
        <source>Your {price} plan did {worth} of API-priced work this month</source>
        <translation>你 {price} 的套餐本月完成了价值 {worth} 的工作（按 API 价格）</translation>
    </message>
    <message>
        <source>Your {price} plan did {worth} of API-priced work this month ({pct} % of its price)</source>
        <translation>你 {price} 的套餐本月完成了价值 {worth} 的工作（按 API 价格，相当于套餐价格的 {pct}%）</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>最后在线</translation>
    </message>
    <message>
        <source>Now spending</source>
        <translation>正在花费</translation>
    </message>
    <message>
        <source>Calls in flight</source>
        <translation>进行中的调用</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <source>{n} min ago</source>
        <translation>{n} 分钟前</translation>
    </message>
    <message>
        <source>{n} h ago</source>
        <translation>{n} 小时前</translation>
    </message>
    <message>
        <source>yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>{n} days ago</source>
        <translation>{n} 天前</translation>
    </message>
    <message>
        <source>No device has metered into this shared wallet yet. Each computer whose meter (this app, or `tokenwallet serve`) uses the wallet shows up here with what it is spending.</source>
        <translation>还没有设备向这个共用钱包计量。每台使用该钱包的计算机（本应用或 `tokenwallet serve`）都会显示在这里，并列出它正在花费的金额。</translation>
    </message>
    <message>
        <source>{name}: Token Wallet {version}, id {id}, first seen {day}</source>
        <translation>{name}：Token Wallet {version}，ID {id}，首次出现 {day}</translation>
    </message>
    <message>
        <source> (this computer)</source>
        <translation>（本机）</translation>
    </message>
    <message>
        <source> · meter stopped</source>
        <translation> · 计量器已停止</translation>
    </message>
    <message>
        <source>{cost} · 1 call</source>
        <translation>{cost} · 1 次调用</translation>
    </message>
    <message>
        <source>{cost} · {n} calls</source>
        <translation>{cost} · {n} 次调用</translation>
    </message>
    <message>
        <source>Devices sharing this wallet</source>
        <translation>共用这个钱包的设备</translation>
    </message>
</context>
</TS>
