<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ApiServer</name>
    <message>
        <location filename="../src/server/ApiServer.cpp" line="+167"/>
        <source>Port %1 on %2 is already in use. Stop the program that uses it, or choose another port (LISTEN_PORT or --port).</source>
        <translation>%2 上的端口 %1 已被占用。请停止占用它的程序，或换一个端口（LISTEN_PORT 或 --port）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot listen on %1:%2: %3</source>
        <translation>无法在 %1:%2 上监听：%3</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The HTTP server could not take over the listening socket.</source>
        <translation>HTTP 服务器无法接管监听套接字。</translation>
    </message>
</context>
<context>
    <name>AutoStart</name>
    <message>
        <location filename="../src/gui/AutoStart.cpp" line="+55"/>
        <source>Cannot change the Run key.</source>
        <translation>无法修改 Run 注册表项。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cannot remove %1.</source>
        <translation>无法删除 %1。</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+28"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>BridgeController</name>
    <message>
        <location filename="../src/gui/BridgeController.cpp" line="+18"/>
        <location line="+142"/>
        <source>Z.AI rejected every token</source>
        <translation>Z.AI 拒绝了所有令牌</translation>
    </message>
    <message>
        <location line="-141"/>
        <location line="+142"/>
        <source>Every configured Z.AI token was rejected. Open Settings → Z.AI, test the tokens and paste fresh ones from chat.z.ai.</source>
        <translation>所有已配置的 Z.AI 令牌都被拒绝。请打开“设置 → Z.AI”，测试令牌，并从 chat.z.ai 粘贴新的令牌。</translation>
    </message>
    <message>
        <location line="-68"/>
        <source>Listening on the network needs an API key: set one in Settings → Server.</source>
        <translation>在网络上监听需要 API 密钥：请在“设置 → 服务器”中设置。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Port %1 is already in use by another program.</source>
        <translation>端口 %1 已被其他程序占用。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ZaiBridge could not start</source>
        <translation>ZaiBridge 无法启动</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fix: choose another port in Settings → Server, or stop the other program, then click Start server.</source>
        <translation>解决方法：在“设置 → 服务器”中选择其他端口，或停止占用该端口的程序，然后点击“启动服务”。</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Z.AI changed in a way ZaiBridge cannot handle</source>
        <translation>Z.AI 发生了 ZaiBridge 无法处理的变化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1

Check for a ZaiBridge update, or set the signing secret or FE version in Settings → Z.AI.</source>
        <translation>%1

请检查 ZaiBridge 是否有更新，或在“设置 → Z.AI”中设置签名密钥或前端版本。</translation>
    </message>
</context>
<context>
    <name>ConfigLoader</name>
    <message>
        <location filename="../src/core/config/BridgeConfig.cpp" line="+49"/>
        <source>%1 must be true or false (got &quot;%2&quot;).</source>
        <translation>%1 必须为 true 或 false（当前为“%2”）。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 must be a whole number from %2 to %3 (got &quot;%4&quot;).</source>
        <translation>%1 必须是 %2 到 %3 之间的整数（当前为“%4”）。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>%1 must be a URL starting with %2 (got &quot;%3&quot;).</source>
        <translation>%1 必须是以 %2 开头的 URL（当前为“%3”）。</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1:%2: expected KEY=VALUE, got &quot;%3&quot;.</source>
        <translation>%1:%2：应为 KEY=VALUE，实际为“%3”。</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>LISTEN_HOST must be an IP address such as 127.0.0.1 or 0.0.0.0 (got &quot;%1&quot;).</source>
        <translation>LISTEN_HOST 必须是 IP 地址，例如 127.0.0.1 或 0.0.0.0（当前为“%1”）。</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>API_ENDPOINT points at the legacy path /api/chat/completions; using /api/v2/chat/completions instead (pin the legacy path in an upstream profile if you really need it).</source>
        <translation>API_ENDPOINT 指向旧路径 /api/chat/completions，已改用 /api/v2/chat/completions（如确需旧路径，请在上游配置文件中固定）。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>ZAI_SIGNING_SECRET=junjie is the original template&apos;s key, which Z.AI has rejected since October 2025; using the built-in signing secret instead.</source>
        <translation>ZAI_SIGNING_SECRET=junjie 是原项目模板中的密钥，Z.AI 自 2025 年 10 月起已不再接受；改用内置签名密钥。</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>UVICORN_WORKERS is ignored: one event loop serves every request, so there are no worker processes to configure.</source>
        <translation>已忽略 UVICORN_WORKERS：所有请求由同一个事件循环处理，没有可配置的工作进程。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>SKIP_AUTH_TOKEN only applies on a loopback address; requests to %1 still need the API key.</source>
        <translation>SKIP_AUTH_TOKEN 仅在回环地址上生效；发往 %1 的请求仍需 API 密钥。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Refusing to listen on %1 without an API key: anyone on the network could use your Z.AI account. Set AUTH_TOKEN, or listen on 127.0.0.1.</source>
        <translation>拒绝在没有 API 密钥的情况下监听 %1：网络上的任何人都可能使用你的 Z.AI 账号。请设置 AUTH_TOKEN，或监听 127.0.0.1。</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>ZAI_DEVICE_ID must be 1 to 128 printable ASCII characters without spaces, such as a UUID.</source>
        <translation>ZAI_DEVICE_ID 必须是 1 到 128 个不含空格的可打印 ASCII 字符，例如一个 UUID。</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Cannot keep the device id in %1 (%2): a new one is used until the next start. Set ZAI_DEVICE_ID to keep one.</source>
        <translation>无法在 %1 中保存设备 ID（%2）：在下次启动之前使用一个新的 ID。设置 ZAI_DEVICE_ID 可固定使用一个。</translation>
    </message>
</context>
<context>
    <name>FileSecretStore</name>
    <message>
        <location filename="../src/gui/FileSecretStore.cpp" line="+25"/>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+7"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>file readable only by you (%1)</source>
        <translation>仅您可读的文件（%1）</translation>
    </message>
</context>
<context>
    <name>KeychainSecretStore</name>
    <message>
        <location filename="../src/gui/KeychainSecretStore.cpp" line="+100"/>
        <source>Windows Credential Manager</source>
        <translation>Windows 凭据管理器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>macOS Keychain</source>
        <translation>macOS 钥匙串</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Secret Service (GNOME Keyring, KWallet)</source>
        <translation>Secret Service（GNOME 密钥环、KWallet）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>ZaiBridge</source>
        <translation type="vanished">ZaiBridge</translation>
    </message>
    <message>
        <location filename="../ui/MainWindow.ui" line="+41"/>
        <source>No system tray was found on this desktop, so ZaiBridge shows this window instead.</source>
        <translation>此桌面没有系统托盘，因此 ZaiBridge 显示此窗口。</translation>
    </message>
</context>
<context>
    <name>MemorySecretStore</name>
    <message>
        <location filename="../src/gui/MemorySecretStore.cpp" line="+10"/>
        <source>The test keychain is unavailable.</source>
        <translation>测试钥匙串不可用。</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>memory (not saved)</source>
        <translation>内存（不保存）</translation>
    </message>
</context>
<context>
    <name>RequestLogModel</name>
    <message>
        <location filename="../src/gui/RequestLogModel.cpp" line="+50"/>
        <source>%1 (client left)</source>
        <translation>%1（客户端已断开）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>OpenAI chat</source>
        <translation>OpenAI 聊天</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OpenAI Responses</source>
        <translation>OpenAI Responses</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Anthropic Messages</source>
        <translation>Anthropic Messages</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 + %2</source>
        <translation>%1 + %2</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Upstream model</source>
        <translation>上游模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>API</source>
        <translation>API</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tokens (in + out)</source>
        <translation>令牌数（输入 + 输出）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Retries</source>
        <translation>重试</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>RequestLogWindow</name>
    <message>
        <location filename="../ui/RequestLogWindow.ui" line="+9"/>
        <source>ZaiBridge Request Log</source>
        <translation>ZaiBridge 请求日志</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Filter by model, status or error</source>
        <translation>按模型、状态或错误筛选</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Failures only</source>
        <translation>仅显示失败</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Selected request</source>
        <translation>所选请求</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Select a request to see all of it here, the full error message included.</source>
        <translation>选择一个请求即可在此查看其全部信息，包括完整的错误消息。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Totals per model</source>
        <translation>按模型统计</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failures</source>
        <translation>失败数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prompt tokens</source>
        <translation>提示令牌数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Completion tokens</source>
        <translation>补全令牌数</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reset totals</source>
        <translation>重置统计</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Details</source>
        <translation>详细信息</translation>
    </message>
    <message>
        <location filename="../src/gui/RequestLogWindow.cpp" line="+99"/>
        <source>Detailed logging is on: the bridge&apos;s log lines, secrets removed.</source>
        <translation>详细日志已开启：此处显示桥接服务的日志行，机密信息已移除。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn on detailed logging in Settings → Advanced to see request bodies and upstream details here.</source>
        <translation>在“设置 → 高级”中开启详细日志，即可在此查看请求正文和上游详情。</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Time: %1</source>
        <translation>时间：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Request: %1 %2%3</source>
        <translation>请求：%1 %2%3</translation>
    </message>
    <message>
        <location line="+0"/>
        <source> (streaming)</source>
        <translation>（流式）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status: %1</source>
        <translation>状态：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model: %1 → upstream %2</source>
        <translation>模型：%1 → 上游 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Latency: %1 ms (first byte after %2 ms)</source>
        <translation>延迟：%1 毫秒（首字节用时 %2 毫秒）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latency: %1 ms</source>
        <translation>延迟：%1 毫秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens: %1 prompt, %2 completion</source>
        <translation>令牌数：提示 %1，补全 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attempts: %1</source>
        <translation>尝试次数：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
</context>
<context>
    <name>SessionSecretStore</name>
    <message>
        <location filename="../src/gui/SessionSecretStore.cpp" line="+35"/>
        <source>memory for this session (Z.AI tokens); the API key in a file only your user can read (%1)</source>
        <translation>本次会话的内存（Z.AI 令牌）；API 密钥保存在仅您的用户可读的文件中（%1）</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../ui/SettingsDialog.ui" line="+6"/>
        <source>ZaiBridge Settings</source>
        <translation>ZaiBridge 设置</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Allow other computers on the network (LAN); the API key is then required</source>
        <translation>允许局域网中的其他计算机访问（此时必须使用 API 密钥）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Allowed CORS origins:</source>
        <translation>允许的 CORS 来源：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>* or https://example.com, http://localhost:3000</source>
        <translation>* 或 https://example.com, http://localhost:3000</translation>
    </message>
    <message>
        <source>Clients use the base URL http://127.0.0.1:PORT/v1 and the API key.</source>
        <translation type="vanished">客户端使用基础 URL http://127.0.0.1:端口/v1 和 API 密钥。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Z.AI</source>
        <translation>Z.AI</translation>
    </message>
    <message>
        <source>Z.AI tokens (from chat.z.ai: the token cookie or localStorage):</source>
        <translation type="vanished">Z.AI 令牌（来自 chat.z.ai：token Cookie 或 localStorage）：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Z.AI tokens (sign in to Z.AI in its window, or paste the token cookie of chat.z.ai):</source>
        <translation>Z.AI 令牌（在 Z.AI 窗口中登录 Z.AI，或粘贴 chat.z.ai 的 token Cookie）：</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Label</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Test result</source>
        <translation>测试结果</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+151"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location line="-144"/>
        <location line="+151"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="-144"/>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sign in to Z.AI…</source>
        <translation>登录 Z.AI…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Opens chat.z.ai in a window of ZaiBridge: sign in there and the account&apos;s token is added here by itself.</source>
        <translation>在 ZaiBridge 的窗口中打开 chat.z.ai：在那里登录后，该账号的令牌会自动添加到这里。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Import .env…</source>
        <translation>导入 .env…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Use guest accounts when no token is set</source>
        <translation>未设置令牌时使用访客账户</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Endpoint:</source>
        <translation>端点：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>default: https://chat.z.ai/api/v2/chat/completions</source>
        <translation>默认：https://chat.z.ai/api/v2/chat/completions</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Signing secret:</source>
        <translation>签名密钥：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>default: built in</source>
        <translation>默认：内置</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>FE version:</source>
        <translation>前端版本：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>default: detected, e.g. prod-fe-1.0.231</source>
        <translation>默认：自动检测，例如 prod-fe-1.0.231</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Client name</source>
        <translation>客户端名称</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Upstream id</source>
        <translation>上游 ID</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Vision</source>
        <translation>视觉</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Reset to defaults</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Proxy:</source>
        <translation>代理：</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>HTTP proxy:</source>
        <translation>HTTP 代理：</translation>
    </message>
    <message>
        <source>http://127.0.0.1:7890</source>
        <translation type="vanished">http://127.0.0.1:7890</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>HTTPS proxy:</source>
        <translation>HTTPS 代理：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>empty: the HTTP proxy</source>
        <translation>留空：使用 HTTP 代理</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Proxy password:</source>
        <translation>代理密码：</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>for the user name in the proxy URL: http://user@host:port</source>
        <translation>用于代理 URL 中的用户名：http://user@host:port</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Upstream timeout:</source>
        <translation>上游超时：</translation>
    </message>
    <message>
        <location line="+13"/>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Retries:</source>
        <translation>重试次数：</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Advanced</source>
        <translation>高级</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Detailed logging (request bodies in the request log, secrets removed)</source>
        <translation>详细日志（在请求日志中显示请求正文，机密信息已移除）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Start the server when ZaiBridge starts</source>
        <translation>ZaiBridge 启动时启动服务</translation>
    </message>
    <message>
        <location filename="../src/gui/SettingsDialog.cpp" line="+173"/>
        <source>Import a .env file</source>
        <translation>导入 .env 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>.env files (.env *.env);;All files (*)</source>
        <translation>.env 文件 (.env *.env);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>System settings</source>
        <translation>系统设置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No proxy</source>
        <translation>不使用代理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Tokens and the API key are stored in: %1</source>
        <translation>令牌和 API 密钥保存在：%1</translation>
    </message>
    <message>
        <location line="+195"/>
        <source>The port must be a number from 1 to 65535.</source>
        <translation>端口必须是 1 到 65535 之间的数字。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Port %1 is in use by another program: choose another one.</source>
        <translation>端口 %1 已被其他程序占用：请选择其他端口。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>in use by ZaiBridge</source>
        <translation>由 ZaiBridge 使用</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>free</source>
        <translation>可用</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>in use</source>
        <translation>已占用</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not a port</source>
        <translation>不是有效端口</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Base URL for Cline, Roo Code, Kilo Code, Codex: %1
Claude Code: ANTHROPIC_BASE_URL=%2
Both send the API key.</source>
        <translation>Cline、Roo Code、Kilo Code、Codex 的基础 URL：%1
Claude Code：ANTHROPIC_BASE_URL=%2
两者都要发送 API 密钥。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>From other computers: %1</source>
        <translation>其他计算机使用：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Listening on the network needs an API key: click Regenerate.</source>
        <translation>在网络上监听需要 API 密钥：请点击“重新生成”。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;%1&quot; is not an origin such as https://example.com or *.</source>
        <translation>“%1”不是有效的来源，例如 https://example.com 或 *。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Paste the token here.</source>
        <translation>在此粘贴令牌。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Token %1 is empty: paste a token or remove the row.</source>
        <translation>令牌 %1 为空：请粘贴令牌或删除该行。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The endpoint must be an http:// or https:// URL.</source>
        <translation>端点必须是 http:// 或 https:// URL。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The FE version looks like prod-fe-1.0.231.</source>
        <translation>前端版本的格式类似 prod-fe-1.0.231。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Model row %1 needs a client name and an upstream id.</source>
        <translation>模型第 %1 行需要客户端名称和上游 ID。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The model name &quot;%1&quot; appears twice.</source>
        <translation>模型名称“%1”重复出现。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The model list is empty: click Reset to defaults.</source>
        <translation>模型列表为空：请点击“恢复默认”。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Add the user name to the proxy URL: http://user@host:port.</source>
        <translation>请在代理 URL 中填写用户名：http://user@host:port。</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+4"/>
        <source>Enter the proxy as http://host:port or socks5://host:port.</source>
        <translation>请按 http://主机:端口 或 socks5://主机:端口 的格式输入代理。</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Imported %1: check the values, then click Apply.</source>
        <translation>已导入 %1：请检查各项值，然后点击“应用”。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Testing guest access…</source>
        <translation>正在测试访客访问…</translation>
    </message>
</context>
<context>
    <name>TokenProbe</name>
    <message>
        <location filename="../src/core/zai/TokenProbe.cpp" line="+65"/>
        <source>Z.AI could not be reached: %1</source>
        <translation>无法连接 Z.AI：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Guest access works.</source>
        <translation>访客访问可用。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accepted, but as a guest account.</source>
        <translation>已接受，但这是访客账户。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Accepted.</source>
        <translation>已接受。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accepted (%1).</source>
        <translation>已接受（%1）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Z.AI refuses guest access (HTTP %1): add a token.</source>
        <translation>Z.AI 拒绝访客访问（HTTP %1）：请添加令牌。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected (HTTP %1): copy a fresh token from chat.z.ai.</source>
        <translation>已拒绝（HTTP %1）：请从 chat.z.ai 复制新的令牌。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unexpected answer from Z.AI (HTTP %1).</source>
        <translation>Z.AI 返回了意外的响应（HTTP %1）。</translation>
    </message>
</context>
<context>
    <name>TrayApplication</name>
    <message>
        <location filename="../src/gui/TrayApplication.cpp" line="+178"/>
        <source>Secrets could not be read</source>
        <translation>无法读取机密信息</translation>
    </message>
    <message>
        <source>No keychain available</source>
        <translation type="vanished">没有可用的钥匙串</translation>
    </message>
    <message>
        <source>ZaiBridge keeps your Z.AI tokens and API key in the system keychain, but none is available (%1).

Store them in a file that only your user account can read instead? The file is not encrypted. If you choose &quot;Memory only&quot;, secrets are forgotten when ZaiBridge quits.</source>
        <translation type="vanished">ZaiBridge 将您的 Z.AI 令牌和 API 密钥保存在系统钥匙串中，但当前没有可用的钥匙串（%1）。

是否改为保存在仅您的用户账户可读的文件中？该文件不加密。如果选择“仅内存”，ZaiBridge 退出后这些机密信息将被遗忘。</translation>
    </message>
    <message>
        <source>no Secret Service</source>
        <translation type="vanished">没有 Secret Service</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The keychain is not available</source>
        <translation>钥匙串不可用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ZaiBridge keeps your Z.AI tokens and its API key in the system keychain, but the keychain is missing or refused to store them.

Store them in a file that only your user account can read instead? The file is not encrypted.

With &quot;Memory only&quot;, the Z.AI tokens are forgotten when ZaiBridge quits; the API key is still kept in that file, so that the clients you set up keep working after a restart.</source>
        <translation>ZaiBridge 将您的 Z.AI 令牌和 API 密钥保存在系统钥匙串中，但钥匙串不存在或拒绝保存它们。

改为保存在仅您的用户帐户可读的文件中吗？该文件未加密。

选择“仅内存”时，Z.AI 令牌会在 ZaiBridge 退出时被遗忘；API 密钥仍保存在该文件中，这样您配置好的客户端在重启后仍可继续使用。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Use a private file</source>
        <translation>使用私有文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory only</source>
        <translation>仅内存</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Environment variables not used</source>
        <translation>未使用环境变量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The tray app takes its configuration from Settings, not from %1. Settings → Z.AI → Import .env… reads such values from a file; zaibridge-server reads the environment.</source>
        <translation>托盘应用从“设置”读取配置，而不是从 %1 读取。“设置 → Z.AI → 导入 .env…”可从文件读取这些值；zaibridge-server 会读取环境变量。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Secrets could not be saved</source>
        <translation>无法保存机密信息</translation>
    </message>
    <message>
        <location line="+44"/>
        <location line="+6"/>
        <source>Z.AI asks for a captcha</source>
        <translation>Z.AI 要求验证码</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>A request was refused because Z.AI wants a verification. Click here to open the Z.AI window: from then on it answers Z.AI&apos;s verifications. Then send the request again.</source>
        <translation>一个请求被拒绝，因为 Z.AI 要求进行验证。点击此处打开 Z.AI 窗口：此后由它响应 Z.AI 的验证。然后请重新发送该请求。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A request was refused because Z.AI wants a verification, and this build of ZaiBridge has no Z.AI window. The headless zaibridge-server can get verifications from ZAI_CAPTCHA_COMMAND.</source>
        <translation>一个请求被拒绝，因为 Z.AI 要求进行验证，而此版本的 ZaiBridge 没有 Z.AI 窗口。无界面的 zaibridge-server 可以通过 ZAI_CAPTCHA_COMMAND 获取验证参数。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Z.AI window</source>
        <translation>Z.AI 窗口</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Signed in to Z.AI</source>
        <translation>已登录 Z.AI</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The bridge now uses this account.</source>
        <translation>ZaiBridge 现在使用此账号。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The bridge now uses this account: %1.</source>
        <translation>ZaiBridge 现在使用此账号：%1。</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>ZaiBridge is ready</source>
        <translation>ZaiBridge 已就绪</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&lt;p&gt;From other computers on your network: &lt;code&gt;%1&lt;/code&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;网络中的其他计算机：&lt;code&gt;%1&lt;/code&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;h3&gt;ZaiBridge is ready&lt;/h3&gt;&lt;p&gt;It lives in the system tray (or in its small window where there is no tray). Set up your client with:&lt;/p&gt;&lt;p&gt;OpenAI clients (Cline, Roo Code, Kilo Code, Codex): base URL &lt;code&gt;%1&lt;/code&gt;&lt;/p&gt;&lt;p&gt;Claude Code: &lt;code&gt;ANTHROPIC_BASE_URL=%2&lt;/code&gt;&lt;/p&gt;%3&lt;p&gt;API key: &lt;code&gt;%4&lt;/code&gt;&lt;/p&gt;&lt;p&gt;The tray menu copies the base URL and the key; Settings → Server shows them again.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;ZaiBridge 已就绪&lt;/h3&gt;&lt;p&gt;它位于系统托盘中（没有托盘时则是它的小窗口）。请这样配置您的客户端：&lt;/p&gt;&lt;p&gt;OpenAI 客户端（Cline、Roo Code、Kilo Code、Codex）：基础 URL &lt;code&gt;%1&lt;/code&gt;&lt;/p&gt;&lt;p&gt;Claude Code：&lt;code&gt;ANTHROPIC_BASE_URL=%2&lt;/code&gt;&lt;/p&gt;%3&lt;p&gt;API 密钥：&lt;code&gt;%4&lt;/code&gt;&lt;/p&gt;&lt;p&gt;托盘菜单可复制基础 URL 和密钥；“设置 → 服务器”中也会再次显示它们。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>About ZaiBridge</source>
        <translation>关于 ZaiBridge</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;h3&gt;ZaiBridge %1&lt;/h3&gt;&lt;p&gt;A local OpenAI-compatible API in front of the Z.AI GLM web chat, for Cline, Roo Code, Kilo Code and other clients.&lt;/p&gt;&lt;p&gt;Base URL: &lt;code&gt;%2&lt;/code&gt;&lt;/p&gt;&lt;p&gt;MIT License.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;ZaiBridge %1&lt;/h3&gt;&lt;p&gt;位于 Z.AI GLM 网页聊天之前的本地 OpenAI 兼容 API，适用于 Cline、Roo Code、Kilo Code 等客户端。&lt;/p&gt;&lt;p&gt;基础 URL：&lt;code&gt;%2&lt;/code&gt;&lt;/p&gt;&lt;p&gt;MIT 许可证。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <location filename="../src/gui/TrayController.cpp" line="+58"/>
        <source>The base URL for OpenAI clients is on the clipboard: %1</source>
        <translation>OpenAI 客户端的基础 URL 已复制到剪贴板：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Claude Code&apos;s ANTHROPIC_BASE_URL is on the clipboard: %1</source>
        <translation>Claude Code 的 ANTHROPIC_BASE_URL 已复制到剪贴板：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The API key is on the clipboard.</source>
        <translation>API 密钥已复制到剪贴板。</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+51"/>
        <source>Open at login</source>
        <translation>登录时启动</translation>
    </message>
    <message>
        <location line="-46"/>
        <source>Server restarted</source>
        <translation>服务已重启</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server was restarted to apply the new address or port: %1</source>
        <translation>服务已重启以应用新的地址或端口：%1</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Copy base URL</source>
        <translation>复制基础 URL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For OpenAI clients (Cline, Roo Code, Kilo Code, Codex)</source>
        <translation>用于 OpenAI 客户端（Cline、Roo Code、Kilo Code、Codex）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For Claude Code (ANTHROPIC_BASE_URL)</source>
        <translation>用于 Claude Code（ANTHROPIC_BASE_URL）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy API key</source>
        <translation>复制 API 密钥</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign in to Z.AI…</source>
        <translation>登录 Z.AI…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Request log…</source>
        <translation>请求日志…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>About ZaiBridge</source>
        <translation>关于 ZaiBridge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>ZaiBridge: serving at %1</source>
        <translation>ZaiBridge：正在 %1 提供服务</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+20"/>
        <source>On the network: %1</source>
        <translation>网络地址：%1</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>ZaiBridge: error</source>
        <translation>ZaiBridge：错误</translation>
    </message>
    <message>
        <source>ZaiBridge: error: %1</source>
        <translation type="vanished">ZaiBridge：错误：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ZaiBridge: stopped (%1)</source>
        <translation>ZaiBridge：已停止（%1）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Stop server</source>
        <translation>停止服务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Start server</source>
        <translation>启动服务</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Serving at %1</source>
        <translation>正在 %1 提供服务</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Error: server not running</source>
        <translation>错误：服务未运行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>UpstreamCheck</name>
    <message>
        <location filename="../src/core/zai/UpstreamCheck.cpp" line="+62"/>
        <source>landing page</source>
        <translation>首页</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>captcha</source>
        <translation>验证码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>completion</source>
        <translation>补全</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>to change: %1</source>
        <translation>需要修改：%1</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>%1 answered HTTP 200; FE version %2</source>
        <translation>%1 返回 HTTP 200；前端版本 %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 answered, but the page names no FE version; completions will send %2, which Z.AI may refuse as outdated</source>
        <translation>%1 已响应，但页面中没有前端版本；补全请求将发送 %2，Z.AI 可能以版本过旧为由拒绝</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the profile key feVersionPattern, or ZAI_FE_VERSION</source>
        <translation>配置文件键 feVersionPattern，或 ZAI_FE_VERSION</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 answered %2; completions will send the FE version %3</source>
        <translation>%1 返回 %2；补全请求将发送前端版本 %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the profile keys headers and fingerprint (Z.AI&apos;s firewall refused the browser&apos;s request)</source>
        <translation>配置文件键 headers 和 fingerprint（Z.AI 的防火墙拒绝了浏览器请求）</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+155"/>
        <location line="+2"/>
        <source>the network: HTTP_PROXY, HTTPS_PROXY or the endpoint (API_ENDPOINT)</source>
        <translation>网络：HTTP_PROXY、HTTPS_PROXY 或端点（API_ENDPOINT）</translation>
    </message>
    <message>
        <location line="-155"/>
        <source>the profile key paths.landing</source>
        <translation>配置文件键 paths.landing</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>ZAI_TOKEN (guests may be turned off), or the profile key paths.auths</source>
        <translation>ZAI_TOKEN（访客访问可能已关闭），或配置文件键 paths.auths</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ZAI_TOKEN</source>
        <translation>ZAI_TOKEN</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>a guest token from Z.AI (no ZAI_TOKEN set; guests get GLM-4.7 only)</source>
        <translation>来自 Z.AI 的访客令牌（未设置 ZAI_TOKEN；访客只能使用 GLM-4.7）</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+114"/>
        <source>ZAI_TOKEN: copy a fresh token, or sign in in the Z.AI window</source>
        <translation>ZAI_TOKEN：复制一个新令牌，或在 Z.AI 窗口中登录</translation>
    </message>
    <message numerus="yes">
        <location line="-84"/>
        <source>Z.AI lists %n model(s): %1</source>
        <translation>
            <numerusform>Z.AI 列出了 %n 个模型：%1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 could not be read (%2); the bridge offers its built-in catalogue</source>
        <translation>无法读取 %1（%2）；桥接将提供内置模型目录</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the profile key paths.models</source>
        <translation>配置文件键 paths.models</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the upstream profile lists no model</source>
        <translation>上游配置文件中没有任何模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the profile key models</source>
        <translation>配置文件键 models</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 gave a verify parameter; Z.AI accepted it</source>
        <translation>%1 提供了验证参数；Z.AI 已接受</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Z.AI did not ask for one</source>
        <translation>Z.AI 没有要求验证码</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 answered &quot;%2&quot; in %3 s</source>
        <translation>%1 在 %3 秒内回答了“%2”</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>not answered: Z.AI wants a captcha first</source>
        <translation>未回答：Z.AI 需要先通过验证码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 gave a verify parameter</source>
        <translation>%1 提供了验证参数</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>not known: the completion failed before Z.AI asked for one</source>
        <translation>未知：补全在 Z.AI 要求验证码之前就失败了</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the profile key signingSecret, or ZAI_SIGNING_SECRET</source>
        <translation>配置文件键 signingSecret，或 ZAI_SIGNING_SECRET</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the profile keys feVersionPattern and feVersionFallback, or ZAI_FE_VERSION; also headers (X-Device-Id, as P.13 of the protocol notes)</source>
        <translation>配置文件键 feVersionPattern 和 feVersionFallback，或 ZAI_FE_VERSION；以及 headers（X-Device-Id，见协议说明 P.13）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the profile keys headers, query and fingerprint (the browser&apos;s request)</source>
        <translation>配置文件键 headers、query 和 fingerprint（浏览器的请求）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the completion body: the profile key messages.mode, or a field Z.AI no longer takes</source>
        <translation>补全请求体：配置文件键 messages.mode，或 Z.AI 不再接受的某个字段</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the profile key messages.mode (Z.AI may refuse roles other than user)</source>
        <translation>配置文件键 messages.mode（Z.AI 可能拒绝 user 以外的角色）</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+2"/>
        <source>ZAI_TOKEN: an account token (sign in in the Z.AI window)</source>
        <translation>ZAI_TOKEN：账号令牌（在 Z.AI 窗口中登录）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ZAI_CAPTCHA_COMMAND, or the Z.AI window of the tray app</source>
        <translation>ZAI_CAPTCHA_COMMAND，或托盘应用的 Z.AI 窗口</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the profile keys captcha.field, captcha.prefix and captcha.sceneId</source>
        <translation>配置文件键 captcha.field、captcha.prefix 和 captcha.sceneId</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>nothing: Z.AI is busy for this account; try again later or add a token</source>
        <translation>无需修改：Z.AI 对此账号繁忙；请稍后重试或添加令牌</translation>
    </message>
</context>
<context>
    <name>UpstreamCheckView</name>
    <message>
        <location filename="../src/gui/UpstreamCheckView.cpp" line="+68"/>
        <source>To change: %1</source>
        <translation>需要修改：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Checking the way to Z.AI…</source>
        <translation>正在检查到 Z.AI 的连接…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Z.AI answered: the bridge works.</source>
        <translation>Z.AI 已回答：桥接工作正常。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Z.AI did not answer: see the step marked ✘.</source>
        <translation>Z.AI 没有回答：请查看标记为 ✘ 的步骤。</translation>
    </message>
</context>
<context>
    <name>WindowCaptchaSource</name>
    <message>
        <location filename="../src/zaiwindow/WindowCaptchaSource.cpp" line="+249"/>
        <source>ZaiBridge: Z.AI asks for a verification. Please complete it here.</source>
        <translation>ZaiBridge：Z.AI 要求进行验证，请在此处完成。</translation>
    </message>
</context>
<context>
    <name>ZaiWindow</name>
    <message>
        <location filename="../src/zaiwindow/ZaiWindow.cpp" line="+119"/>
        <source>Z.AI – ZaiBridge</source>
        <translation>Z.AI – ZaiBridge</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign in to Z.AI here: ZaiBridge then uses your account. When Z.AI asks for a verification, it appears in this window.</source>
        <translation>请在此处登录 Z.AI：之后 ZaiBridge 将使用您的账号。当 Z.AI 要求验证时，验证会显示在此窗口中。</translation>
    </message>
</context>
<context>
    <name>ZaiWindowController</name>
    <message>
        <location filename="../src/zaiwindow/ZaiWindowController.cpp" line="+77"/>
        <source>Z.AI asks for a verification before it answers a request of ZaiBridge. Please complete it below; the request waits for you.</source>
        <translation>Z.AI 在回答 ZaiBridge 的请求之前要求进行验证。请在下方完成验证；该请求会等待您。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Z.AI asks for a verification</source>
        <translation>Z.AI 要求进行验证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A request waits for you to complete the verification in the Z.AI window.</source>
        <translation>有一个请求正在等待您在 Z.AI 窗口中完成验证。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../src/headless/main.cpp" line="+78"/>
        <source>ZaiBridge: an OpenAI-compatible API server in front of the Z.AI GLM web chat.

Configured by environment variables (see the README) or a .env file; the options below take precedence.</source>
        <translation>ZaiBridge：位于 Z.AI GLM 网页聊天之前的 OpenAI 兼容 API 服务器。

通过环境变量（见 README）或 .env 文件配置；下列选项优先。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Port to listen on (LISTEN_PORT, default 8080; 0 picks a free one).</source>
        <translation>监听端口（LISTEN_PORT，默认 8080；0 表示自动选择空闲端口）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Address to listen on (LISTEN_HOST, default 127.0.0.1).</source>
        <translation>监听地址（LISTEN_HOST，默认 127.0.0.1）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Read variables from this file (default: .env in the working directory, if present).</source>
        <translation>从此文件读取变量（默认：工作目录中的 .env，若存在）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>JSON file that overrides parts of the built-in upstream profile (UPSTREAM_PROFILE).</source>
        <translation>覆盖内置上游配置部分内容的 JSON 文件（UPSTREAM_PROFILE）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check the way to Z.AI step by step (landing page, token, models, captcha, a one-word completion), say what failed and what to change, and exit: 0 when a completion came back, 1 otherwise.</source>
        <translation>逐步检查到 Z.AI 的连接（首页、令牌、模型、验证码、一个单词的补全），说明哪一步失败以及需要修改什么，然后退出：补全成功返回时为 0，否则为 1。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>zaibridge-server: configuration error: %1</source>
        <translation>zaibridge-server：配置错误：%1</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>zaibridge-server: upstream profile error: %1</source>
        <translation>zaibridge-server：上游配置文件错误：%1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Checking the way to Z.AI (%1)</source>
        <translation>正在检查到 Z.AI 的连接（%1）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Z.AI answered: the bridge works.</source>
        <translation>Z.AI 已回答：桥接工作正常。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Z.AI did not answer: see the step marked FAIL.</source>
        <translation>Z.AI 没有回答：请查看标记为 FAIL 的步骤。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>zaibridge-server: %1</source>
        <translation>zaibridge-server：%1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>ZaiBridge %1 listening on %2</source>
        <translation>ZaiBridge %1 正在监听 %2</translation>
    </message>
    <message>
        <location filename="../src/app/main.cpp" line="+35"/>
        <source>ZaiBridge tray application: an OpenAI-compatible API for the Z.AI GLM web chat.</source>
        <translation>ZaiBridge 托盘应用：为 Z.AI GLM 网页聊天提供 OpenAI 兼容 API。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Started at login (no window is opened).</source>
        <translation>登录时启动（不打开窗口）。</translation>
    </message>
</context>
</TS>
