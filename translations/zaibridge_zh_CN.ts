<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ApiServer</name>
    <message>
        <location filename="../src/server/ApiServer.cpp" line="136"/>
        <source>Port %1 on %2 is already in use. Stop the program that uses it, or choose another port (LISTEN_PORT or --port).</source>
        <translation>%2 上的端口 %1 已被占用。请停止占用它的程序，或换一个端口（LISTEN_PORT 或 --port）。</translation>
    </message>
    <message>
        <location filename="../src/server/ApiServer.cpp" line="140"/>
        <source>Cannot listen on %1:%2: %3</source>
        <translation>无法在 %1:%2 上监听：%3</translation>
    </message>
    <message>
        <location filename="../src/server/ApiServer.cpp" line="149"/>
        <source>The HTTP server could not take over the listening socket.</source>
        <translation>HTTP 服务器无法接管监听套接字。</translation>
    </message>
</context>
<context>
    <name>ConfigLoader</name>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="45"/>
        <source>%1 must be true or false (got &quot;%2&quot;).</source>
        <translation>%1 必须为 true 或 false（当前为“%2”）。</translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="59"/>
        <source>%1 must be a whole number from %2 to %3 (got &quot;%4&quot;).</source>
        <translation>%1 必须是 %2 到 %3 之间的整数（当前为“%4”）。</translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="79"/>
        <source>%1 must be a URL starting with %2 (got &quot;%3&quot;).</source>
        <translation>%1 必须是以 %2 开头的 URL（当前为“%3”）。</translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="123"/>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="138"/>
        <source>%1:%2: expected KEY=VALUE, got &quot;%3&quot;.</source>
        <translation>%1:%2：应为 KEY=VALUE，实际为“%3”。</translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="188"/>
        <source>LISTEN_HOST must be an IP address such as 127.0.0.1 or 0.0.0.0 (got &quot;%1&quot;).</source>
        <translation>LISTEN_HOST 必须是 IP 地址，例如 127.0.0.1 或 0.0.0.0（当前为“%1”）。</translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="229"/>
        <source>API_ENDPOINT points at the legacy path /api/chat/completions; using /api/v2/chat/completions instead (pin the legacy path in an upstream profile if you really need it).</source>
        <translation>API_ENDPOINT 指向旧路径 /api/chat/completions，已改用 /api/v2/chat/completions（如确需旧路径，请在上游配置文件中固定）。</translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="240"/>
        <source>ZAI_SIGNING_SECRET=junjie is the original template&apos;s key, which Z.AI has rejected since October 2025; using the built-in signing secret instead.</source>
        <translation>ZAI_SIGNING_SECRET=junjie 是原项目模板中的密钥，Z.AI 自 2025 年 10 月起已不再接受；改用内置签名密钥。</translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="272"/>
        <source>UVICORN_WORKERS is ignored: one event loop serves every request, so there are no worker processes to configure.</source>
        <translation>已忽略 UVICORN_WORKERS：所有请求由同一个事件循环处理，没有可配置的工作进程。</translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="277"/>
        <source>SKIP_AUTH_TOKEN only applies on a loopback address; requests to %1 still need the API key.</source>
        <translation>SKIP_AUTH_TOKEN 仅在回环地址上生效；发往 %1 的请求仍需 API 密钥。</translation>
    </message>
    <message>
        <location filename="../src/core/BridgeConfig.cpp" line="281"/>
        <source>Refusing to listen on %1 without an API key: anyone on the network could use your Z.AI account. Set AUTH_TOKEN, or listen on 127.0.0.1.</source>
        <translation>拒绝在没有 API 密钥的情况下监听 %1：网络上的任何人都可能使用你的 Z.AI 账号。请设置 AUTH_TOKEN，或监听 127.0.0.1。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../src/headless/main.cpp" line="72"/>
        <source>ZaiBridge: an OpenAI-compatible API server in front of the Z.AI GLM web chat.

Configured by environment variables (see the README) or a .env file; the options below take precedence.</source>
        <translation>ZaiBridge：位于 Z.AI GLM 网页聊天之前的 OpenAI 兼容 API 服务器。

通过环境变量（见 README）或 .env 文件配置；下列选项优先。</translation>
    </message>
    <message>
        <location filename="../src/headless/main.cpp" line="80"/>
        <source>Port to listen on (LISTEN_PORT, default 8080; 0 picks a free one).</source>
        <translation>监听端口（LISTEN_PORT，默认 8080；0 表示自动选择空闲端口）。</translation>
    </message>
    <message>
        <location filename="../src/headless/main.cpp" line="83"/>
        <source>Address to listen on (LISTEN_HOST, default 127.0.0.1).</source>
        <translation>监听地址（LISTEN_HOST，默认 127.0.0.1）。</translation>
    </message>
    <message>
        <location filename="../src/headless/main.cpp" line="86"/>
        <source>Read variables from this file (default: .env in the working directory, if present).</source>
        <translation>从此文件读取变量（默认：工作目录中的 .env，若存在）。</translation>
    </message>
    <message>
        <location filename="../src/headless/main.cpp" line="89"/>
        <source>JSON file that overrides parts of the built-in upstream profile (UPSTREAM_PROFILE).</source>
        <translation>覆盖内置上游配置部分内容的 JSON 文件（UPSTREAM_PROFILE）。</translation>
    </message>
    <message>
        <location filename="../src/headless/main.cpp" line="107"/>
        <source>zaibridge-server: configuration error: %1</source>
        <translation>zaibridge-server：配置错误：%1</translation>
    </message>
    <message>
        <location filename="../src/headless/main.cpp" line="119"/>
        <source>zaibridge-server: upstream profile error: %1</source>
        <translation>zaibridge-server：上游配置文件错误：%1</translation>
    </message>
    <message>
        <location filename="../src/headless/main.cpp" line="126"/>
        <source>zaibridge-server: %1</source>
        <translation>zaibridge-server：%1</translation>
    </message>
    <message>
        <location filename="../src/headless/main.cpp" line="135"/>
        <source>ZaiBridge %1 listening on %2</source>
        <translation>ZaiBridge %1 正在监听 %2</translation>
    </message>
</context>
</TS>
