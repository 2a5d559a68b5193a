<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Action</name>
    <message>
        <source>Report</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>Self-handled report</source>
        <translation>自处理上报</translation>
    </message>
    <message>
        <source>Assign verification</source>
        <translation>派发核实</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>核实</translation>
    </message>
    <message>
        <source>File</source>
        <translation>立案</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>作废</translation>
    </message>
    <message>
        <source>Request void</source>
        <translation>申请作废</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>派遣</translation>
    </message>
    <message>
        <source>Change command level</source>
        <translation>变更指挥层级</translation>
    </message>
    <message>
        <source>Request return</source>
        <translation>申请回退</translation>
    </message>
    <message>
        <source>Request extension</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <source>Request parking</source>
        <translation>申请挂账</translation>
    </message>
    <message>
        <source>Return approved</source>
        <translation>同意回退</translation>
    </message>
    <message>
        <source>Extension approved</source>
        <translation>同意延期</translation>
    </message>
    <message>
        <source>Parking approved</source>
        <translation>同意挂账</translation>
    </message>
    <message>
        <source>Void approved</source>
        <translation>同意作废</translation>
    </message>
    <message>
        <source>Return rejected</source>
        <translation>驳回回退</translation>
    </message>
    <message>
        <source>Extension rejected</source>
        <translation>驳回延期</translation>
    </message>
    <message>
        <source>Parking rejected</source>
        <translation>驳回挂账</translation>
    </message>
    <message>
        <source>Void rejected</source>
        <translation>驳回作废</translation>
    </message>
    <message>
        <source>Decide request</source>
        <translation>审批申请</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>挂账恢复</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>处置反馈</translation>
    </message>
    <message>
        <source>Assign re-check</source>
        <translation>派发核查</translation>
    </message>
    <message>
        <source>Re-check</source>
        <translation>核查</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Rework</source>
        <translation>返工</translation>
    </message>
    <message>
        <source>Urge</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>Reply to urging</source>
        <translation>督办回复</translation>
    </message>
    <message>
        <source>Review self-handling</source>
        <translation>审核自处理</translation>
    </message>
</context>
<context>
    <name>ActionForm</name>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>%1 is required</source>
        <translation>请填写%1</translation>
    </message>
    <message>
        <source>%1: at most %2 characters</source>
        <translation>%1：最多 %2 个字符</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>AddCategoryDialog</name>
    <message>
        <source>Add a category</source>
        <translation>新增类别</translation>
    </message>
    <message>
        <source>Under</source>
        <translation>上级</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
</context>
<context>
    <name>AddRegionDialog</name>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
</context>
<context>
    <name>Admin</name>
    <message>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Region level</source>
        <translation>区域层级</translation>
    </message>
    <message>
        <source>Unit grid</source>
        <translation>单元网格</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>工作日历</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>系统设置</translation>
    </message>
    <message>
        <source>Data exchange key</source>
        <translation>数据交换密钥</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>working hours</source>
        <translation>工作时</translation>
    </message>
    <message>
        <source>working days</source>
        <translation>工作日</translation>
    </message>
    <message>
        <source>natural hours</source>
        <translation>自然小时</translation>
    </message>
    <message>
        <source>Filing</source>
        <translation>立案</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>派遣</translation>
    </message>
    <message>
        <source>Handling</source>
        <translation>处置</translation>
    </message>
    <message>
        <source>Re-check</source>
        <translation>核查</translation>
    </message>
    <message>
        <source>Closing</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>部件</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>minute</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>working hour</source>
        <translation>工作时</translation>
    </message>
    <message>
        <source>working day</source>
        <translation>工作日</translation>
    </message>
    <message>
        <source>natural hour</source>
        <translation>自然小时</translation>
    </message>
    <message>
        <source>Departments</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Regions</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Handheld (supervisor)</source>
        <translation>手持终端（监督员）</translation>
    </message>
</context>
<context>
    <name>AdminWindow</name>
    <message>
        <source>GridStation administration — %1 (%2)</source>
        <translation>GridStation 系统管理 — %1（%2）</translation>
    </message>
    <message>
        <source>First start wizard…</source>
        <translation>首次配置向导…</translation>
    </message>
    <message>
        <source>Regions</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Departments</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Case categories</source>
        <translation>案件类别</translation>
    </message>
    <message>
        <source>Workflow rules</source>
        <translation>流程配置</translation>
    </message>
    <message>
        <source>Working calendar</source>
        <translation>工作日历</translation>
    </message>
    <message>
        <source>Evaluation weights</source>
        <translation>评价权重</translation>
    </message>
    <message>
        <source>Base map</source>
        <translation>底图</translation>
    </message>
    <message>
        <source>Data exchange keys</source>
        <translation>数据交换密钥</translation>
    </message>
    <message>
        <source>Change history</source>
        <translation>变更记录</translation>
    </message>
</context>
<context>
    <name>Analytics</name>
    <message>
        <source>Reported</source>
        <extracomment>Lower is better for these: a rise is shown red.</extracomment>
        <translation>上报数</translation>
    </message>
    <message>
        <source>Filed</source>
        <translation>立案数</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>派遣数</translation>
    </message>
    <message>
        <source>Handled</source>
        <translation>处置数</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结案数</translation>
    </message>
    <message>
        <source>Closure rate</source>
        <translation>结案率</translation>
    </message>
    <message>
        <source>On-time closure</source>
        <translation>按期结案率</translation>
    </message>
    <message>
        <source>Overdue now</source>
        <translation>当前超期数</translation>
    </message>
    <message>
        <source>Rework</source>
        <translation>返工数</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>回退数</translation>
    </message>
    <message>
        <source>Extensions</source>
        <translation>延期数</translation>
    </message>
    <message>
        <source>Parked</source>
        <translation>挂账数</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>作废数</translation>
    </message>
    <message>
        <source>Avg to close</source>
        <translation>平均结案用时</translation>
    </message>
    <message>
        <source>P90 to close</source>
        <translation>90%结案用时</translation>
    </message>
    <message>
        <source>Public share</source>
        <translation>公众上报占比</translation>
    </message>
    <message>
        <source>%1 pp</source>
        <translation>%1 个百分点</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>YoY</source>
        <translation>同比</translation>
    </message>
    <message>
        <source>vs prev.</source>
        <translation>环比</translation>
    </message>
    <message>
        <source>Double-click a row to drill down</source>
        <translation>双击一行下钻</translation>
    </message>
    <message>
        <source>change against the same dates a year earlier</source>
        <translation>与去年同期相比的变化（同比）</translation>
    </message>
    <message>
        <source>change against the previous period</source>
        <translation>与上期同期相比的变化（环比）</translation>
    </message>
    <message>
        <source>click a number to see the cases behind it</source>
        <translation>单击数字查看其背后的案件</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reported at</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Composite: the weighted sum of the indicator scores</source>
        <translation>综合得分：各指标得分的加权和</translation>
    </message>
    <message>
        <source>Unit grid</source>
        <translation>单元网格</translation>
    </message>
</context>
<context>
    <name>AnalyticsWindow</name>
    <message>
        <source>Analytics</source>
        <translation>统计分析</translation>
    </message>
    <message>
        <source>Drill-down</source>
        <translation>钻取分析</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>综合评价</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>Read-only standby · data as of %1</source>
        <translation>只读备库 · 数据截至 %1</translation>
    </message>
</context>
<context>
    <name>ApiKeysPage</name>
    <message>
        <source>Data exchange keys</source>
        <translation>数据交换密钥</translation>
    </message>
    <message>
        <source>Keys of the Open311 service (gridstation serve): an application&apos;s reports enter as public reports; a handheld key reports as its supervisor. Only a hash is stored: the secret is shown once, when the key is made.</source>
        <translation>Open311 数据交换服务的密钥：应用密钥上报的问题作为公众举报受理；手持终端密钥以其监督员身份上报。系统只保存密钥的哈希值，密钥原文只在生成时显示一次。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Key begins</source>
        <translation>密钥开头</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>监督员</translation>
    </message>
    <message>
        <source>Requests a minute</source>
        <translation>每分钟请求数</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>生成时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Revoke the selected key</source>
        <translation>吊销所选密钥</translation>
    </message>
    <message>
        <source>New key</source>
        <translation>新密钥</translation>
    </message>
    <message>
        <source>e.g. the citizens&apos; app, or sup001&apos;s phone</source>
        <translation>例如：市民应用，或 sup001 的手机</translation>
    </message>
    <message>
        <source> /min</source>
        <translation> 次/分钟</translation>
    </message>
    <message>
        <source>Make key</source>
        <translation>生成密钥</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>限额</translation>
    </message>
    <message>
        <source>The new key&apos;s secret appears here, once</source>
        <translation>新密钥原文显示在这里，只显示一次</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>active</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>revoked %1</source>
        <translation>已于 %1 吊销</translation>
    </message>
    <message>
        <source>Key %1 made. Copy its secret now: it is not shown again.</source>
        <translation>密钥“%1”已生成。请立即复制密钥原文：之后不再显示。</translation>
    </message>
    <message>
        <source>Key %1 revoked; the service refuses it within seconds.</source>
        <translation>密钥“%1”已吊销，数据交换服务将在数秒内拒绝它。</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Change history</source>
        <translation>变更记录</translation>
    </message>
    <message>
        <source>Every configuration change: who made it, when, and the value before and after.</source>
        <translation>每一项配置变更：操作人、操作时间及变更前后的值。</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Search ids and values</source>
        <translation>搜索 ID 和值</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Entity</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Old value</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>%1 changes shown (at most %2).</source>
        <translation>显示 %1 条变更（最多 %2 条）。</translation>
    </message>
</context>
<context>
    <name>BoundariesPage</name>
    <message>
        <source>Boundaries</source>
        <translation>行政区划边界</translation>
    </message>
    <message>
        <source>Type in the top node (e.g. the city) and import each level&apos;s boundary file (Shapefile or GeoJSON, any coordinate system, GBK or UTF-8). A file with gaps, overlaps or unknown parents is refused whole.</source>
        <translation>先录入最上级节点（如市），再逐级导入边界文件（Shapefile 或 GeoJSON，任意坐标系，GBK 或 UTF-8 编码）。有缝隙、重叠或上级不明的文件整体拒绝导入。</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Regions</source>
        <translation>区域数</translation>
    </message>
    <message>
        <source>Add the top node</source>
        <translation>添加最上级节点</translation>
    </message>
    <message>
        <source>Top node (code, name)</source>
        <translation>最上级节点（代码、名称）</translation>
    </message>
    <message>
        <source>Boundary file</source>
        <translation>边界文件</translation>
    </message>
    <message>
        <source>from the .prj (e.g. EPSG:4547)</source>
        <translation>取自 .prj（如 EPSG:4547）</translation>
    </message>
    <message>
        <source>by the parent field, else by containment</source>
        <translation>按上级字段，否则按空间包含关系</translation>
    </message>
    <message>
        <source>Level key</source>
        <translation>层级键</translation>
    </message>
    <message>
        <source>Field mapping</source>
        <translation>字段对应</translation>
    </message>
    <message>
        <source>Parent (code) of every feature</source>
        <translation>全部要素的上级（代码）</translation>
    </message>
    <message>
        <source>Coordinate system</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <source>Import the boundaries</source>
        <translation>导入边界</translation>
    </message>
    <message>
        <source>Added %1 %2.</source>
        <translation>已添加 %1 %2。</translation>
    </message>
    <message>
        <source>Still without regions: %1</source>
        <translation>尚无区域的层级：%1</translation>
    </message>
    <message>
        <source>Every level has its regions.</source>
        <translation>各层级均已有区域。</translation>
    </message>
</context>
<context>
    <name>CalendarPage</name>
    <message>
        <source>Working calendar</source>
        <translation>工作日历</translation>
    </message>
    <message>
        <source>Time limits in working hours and working days skip nights, weekends and public holidays and count the makeup working days. Public holidays and makeup days come from the holidays library; add this center&apos;s own changes (a new notice, a closure) as overrides.</source>
        <translation>以工作时和工作日计的时限不计夜间、周末和法定节假日，并计入调休上班日。法定节假日和调休日取自节假日库；本中心自行调整的日期（新的放假通知、停工等）请添加为例外设置。</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <source>working day</source>
        <translation>工作日</translation>
    </message>
    <message>
        <source>weekend</source>
        <translation>周末</translation>
    </message>
    <message>
        <source>public holiday</source>
        <translation>法定节假日</translation>
    </message>
    <message>
        <source>makeup working day</source>
        <translation>调休上班日</translation>
    </message>
    <message>
        <source>override: working</source>
        <translation>例外：上班</translation>
    </message>
    <message>
        <source>override: day off</source>
        <translation>例外：休息</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>As the calendar says (no override)</source>
        <translation>按日历（不设例外）</translation>
    </message>
    <message>
        <source>Working day</source>
        <translation>工作日</translation>
    </message>
    <message>
        <source>Day off</source>
        <translation>休息日</translation>
    </message>
    <message>
        <source>why (e.g. 2027 notice, typhoon closure)</source>
        <translation>原因（如 2027 年放假通知、台风停工）</translation>
    </message>
    <message>
        <source>Save day</source>
        <translation>保存该日</translation>
    </message>
    <message>
        <source>Override</source>
        <translation>例外</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>This center&apos;s overrides this year</source>
        <translation>本中心本年度的例外设置</translation>
    </message>
    <message>
        <source>Working hours of a working day</source>
        <translation>工作日的工作时段</translation>
    </message>
    <message>
        <source>From</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>To</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Add interval</source>
        <translation>添加时段</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Save hours</source>
        <translation>保存时段</translation>
    </message>
    <message>
        <source>%1: %2 working days · %3 weekday holidays · %4 makeup working days · %5 overrides</source>
        <translation>%1：工作日 %2 天 · 平日节假日 %3 天 · 调休上班 %4 天 · 例外 %5 项</translation>
    </message>
    <message>
        <source>day off</source>
        <translation>休息日</translation>
    </message>
    <message>
        <source>Click a day in the calendar.</source>
        <translation>请在日历中点选一天。</translation>
    </message>
    <message>
        <source>makeup working day (调休)</source>
        <translation>调休上班日</translation>
    </message>
    <message>
        <source>Without the override: %1.</source>
        <translation>若无例外：%1。</translation>
    </message>
    <message>
        <source>Calendar: %1.</source>
        <translation>日历：%1。</translation>
    </message>
    <message>
        <source>%1 follows the calendar again.</source>
        <translation>%1 已恢复按日历执行。</translation>
    </message>
    <message>
        <source>%1 is now a working day.</source>
        <translation>%1 现为工作日。</translation>
    </message>
    <message>
        <source>%1 is now a day off.</source>
        <translation>%1 现为休息日。</translation>
    </message>
    <message>
        <source>A working day is %1 h %2 min.</source>
        <translation>每个工作日为 %1 小时 %2 分钟。</translation>
    </message>
    <message>
        <source>Working hours saved.</source>
        <translation>工作时段已保存。</translation>
    </message>
</context>
<context>
    <name>CalendarStep</name>
    <message>
        <source>Working calendar</source>
        <translation>工作日历</translation>
    </message>
    <message>
        <source>Time limits count working time: check the working hours and this year&apos;s makeup working days (调休) in the administration&apos;s working calendar, then confirm.</source>
        <translation>时限按工作时间计算：请在系统管理的工作日历中核对工作时间和本年度调休安排，然后确认。</translation>
    </message>
    <message>
        <source>The calendar is right</source>
        <translation>工作日历无误</translation>
    </message>
    <message>
        <source>Working hours: %1. Overrides this year: %2.</source>
        <translation>工作时间：%1。本年度调整日：%2 天。</translation>
    </message>
    <message>
        <source>Confirmed.</source>
        <translation>已确认。</translation>
    </message>
</context>
<context>
    <name>CasePane</name>
    <message>
        <source>Select a case to see its details.</source>
        <translation>选择案件以查看详情。</translation>
    </message>
    <message>
        <source>Updated by another user: %1 at %2</source>
        <translation>已被其他用户更新：%1，%2</translation>
    </message>
    <message>
        <source>someone</source>
        <translation>某用户</translation>
    </message>
    <message>
        <source>This case no longer exists.</source>
        <translation>该案件已不存在。</translation>
    </message>
    <message>
        <source>The case could not be loaded: %1</source>
        <translation>无法加载案件：%1</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>问题描述</translation>
    </message>
    <message>
        <source>Reported by %1</source>
        <translation>上报人：%1</translation>
    </message>
    <message>
        <source>received</source>
        <translation>已接收</translation>
    </message>
    <message>
        <source>replies waiting for acknowledgement</source>
        <translation>回复待对方确认</translation>
    </message>
    <message>
        <source>in step</source>
        <translation>已同步</translation>
    </message>
    <message>
        <source>closing reply acknowledged</source>
        <translation>办结回复已确认</translation>
    </message>
    <message>
        <source>12345 work order %1 · exchange: %2</source>
        <translation>12345工单 %1 · 交换状态：%2</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>案件类别</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Photos (%1)</source>
        <translation>照片（%1）</translation>
    </message>
    <message>
        <source>Deadlines</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>Dispatches %1</source>
        <translation>派遣 %1</translation>
    </message>
    <message>
        <source>Returns %1</source>
        <translation>回退 %1</translation>
    </message>
    <message>
        <source>Reworks %1</source>
        <translation>返工 %1</translation>
    </message>
    <message>
        <source>Extensions %1</source>
        <translation>延期 %1</translation>
    </message>
    <message>
        <source>Parked %1</source>
        <translation>挂账 %1</translation>
    </message>
    <message>
        <source>Urged %1</source>
        <translation>督办 %1</translation>
    </message>
    <message>
        <source>This case has gone back and forth several times</source>
        <translation>该案件已多次回退或返工，反复流转</translation>
    </message>
    <message>
        <source>Timeline (%1)</source>
        <translation>流转记录（%1）</translation>
    </message>
    <message>
        <source>Urged</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>A leader urged this case; the department must reply</source>
        <translation>领导已督办此案件，责任部门须回复</translation>
    </message>
    <message>
        <source>Waiting for approval: %1 request by %2 at %3</source>
        <translation>待审批：%2 于 %3 申请%1</translation>
    </message>
    <message>
        <source>%1 working hours</source>
        <translation>%1 工作时</translation>
    </message>
    <message>
        <source>reported %1</source>
        <translation>%1 上报</translation>
    </message>
    <message>
        <source>%1 level</source>
        <translation>%1级</translation>
    </message>
    <message>
        <source>Closed %1</source>
        <translation>结案于 %1</translation>
    </message>
    <message>
        <source>Voided %1</source>
        <translation>作废于 %1</translation>
    </message>
    <message>
        <source>Parked: the clock is stopped</source>
        <translation>挂账中：暂停计时</translation>
    </message>
    <message>
        <source>No time limit</source>
        <translation>无时限</translation>
    </message>
    <message>
        <source>Overdue by %1 (due %2)</source>
        <translation>已超时 %1（%2 到期）</translation>
    </message>
    <message>
        <source>%1 left (due %2)</source>
        <translation>剩余 %1（%2 到期）</translation>
    </message>
    <message>
        <source>not classified yet</source>
        <translation>尚未分类</translation>
    </message>
    <message>
        <source>Filing condition: %1</source>
        <translation>立案条件：%1</translation>
    </message>
    <message>
        <source>Closing condition: %1</source>
        <translation>结案条件：%1</translation>
    </message>
    <message>
        <source>Filing and closing conditions</source>
        <translation>立案与结案条件</translation>
    </message>
    <message>
        <source>no address given</source>
        <translation>未提供地址</translation>
    </message>
    <message>
        <source>Grid %1</source>
        <translation>网格 %1</translation>
    </message>
    <message>
        <source>Show on map</source>
        <translation>在地图上显示</translation>
    </message>
    <message>
        <source>Filing</source>
        <translation>立案</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>派遣</translation>
    </message>
    <message>
        <source>Handling</source>
        <translation>处置</translation>
    </message>
    <message>
        <source>Re-check</source>
        <translation>核查</translation>
    </message>
    <message>
        <source>Closing</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>done %1, late</source>
        <translation>%1 完成，超时</translation>
    </message>
    <message>
        <source>done %1</source>
        <translation>%1 完成</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>open</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>No deadlines yet.</source>
        <translation>暂无时限。</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>confirmed</source>
        <translation>属实</translation>
    </message>
    <message>
        <source>not confirmed</source>
        <translation>不属实</translation>
    </message>
    <message>
        <source>fixed</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>not fixed</source>
        <translation>未解决</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>to %1 level</source>
        <translation>改为%1级</translation>
    </message>
    <message>
        <source>%1 was saved (the connection broke while saving; GridStation checked).</source>
        <translation>“%1”已保存（保存时连接中断，系统已核实）。</translation>
    </message>
    <message>
        <source>Unexpected error: %1</source>
        <translation>意外错误：%1</translation>
    </message>
    <message>
        <source>%1 was not done</source>
        <translation>%1失败</translation>
    </message>
</context>
<context>
    <name>CasesDialog</name>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Open case</source>
        <translation>打开案件</translation>
    </message>
    <message numerus="yes">
        <source>%n case(s)</source>
        <translation>
            <numerusform>%n 件案件</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not load the cases: %1</source>
        <translation>无法加载案件：%1</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>导出 Excel</translation>
    </message>
    <message>
        <source>Excel (*.xlsx)</source>
        <translation>Excel (*.xlsx)</translation>
    </message>
    <message numerus="yes">
        <source>%n case(s) exported to %1</source>
        <translation>
            <numerusform>已将 %n 件案件导出到 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
</context>
<context>
    <name>CataloguePage</name>
    <message>
        <source>Case categories</source>
        <translation>案件类别</translation>
    </message>
    <message>
        <source>The component and event catalogue: where each category sits, who handles it, and the time limit of each stage. Retired categories stay on old cases and leave the pickers.</source>
        <translation>部件和事件分类目录：各类别所处位置、责任部门及各环节时限。已停用的类别仍保留在原有案件上，但不再出现在选择列表中。</translation>
    </message>
    <message>
        <source>Filter by name, code or department</source>
        <translation>按名称、编码或部门筛选</translation>
    </message>
    <message>
        <source>Show retired</source>
        <translation>显示已停用</translation>
    </message>
    <message>
        <source>Add under…</source>
        <translation>新增下级…</translation>
    </message>
    <message>
        <source>Import Excel…</source>
        <translation>导入 Excel…</translation>
    </message>
    <message>
        <source>Export Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>责任部门</translation>
    </message>
    <message>
        <source>Handling limit</source>
        <translation>处置时限</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Open cases</source>
        <translation>在办案件</translation>
    </message>
    <message>
        <source>This category was changed meanwhile; your unsaved edits are kept. Revert to see the current values.</source>
        <translation>该类别已被他人修改；您未保存的编辑仍保留。点击“还原”可查看当前值。</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation>已新增 %1。</translation>
    </message>
    <message>
        <source>Moved.</source>
        <translation>已移动。</translation>
    </message>
    <message>
        <source>Retired %1.</source>
        <translation>已停用 %1。</translation>
    </message>
    <message>
        <source>Restored.</source>
        <translation>已恢复。</translation>
    </message>
    <message>
        <source>Choose the class to add the category under.</source>
        <translation>请选择新类别所属的上级分类。</translation>
    </message>
    <message>
        <source>Retire %1? It leaves the category pickers; the cases filed with it keep it.</source>
        <translation>停用 %1？该类别将不再出现在类别选择列表中；已按该类别立案的案件保留该类别。</translation>
    </message>
    <message>
        <source>The %1 categories under it are retired with it.</source>
        <translation>其下的 %1 个类别将一并停用。</translation>
    </message>
    <message>
        <source>Retire category</source>
        <translation>停用类别</translation>
    </message>
    <message>
        <source>Import the catalogue</source>
        <translation>导入分类目录</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Export the catalogue</source>
        <translation>导出分类目录</translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation>… 另有 %1 项</translation>
    </message>
    <message>
        <source>The sheet was refused; nothing was changed:</source>
        <translation>表格被拒绝，未做任何修改：</translation>
    </message>
    <message>
        <source>Imported: %1 added, %2 changed, %3 moved, %4 restored, %5 retired.</source>
        <translation>已导入：新增 %1，修改 %2，移动 %3，恢复 %4，停用 %5。</translation>
    </message>
    <message>
        <source>Exported %1 categories to %2.</source>
        <translation>已将 %1 个类别导出到 %2。</translation>
    </message>
</context>
<context>
    <name>CatalogueStep</name>
    <message>
        <source>Case categories</source>
        <translation>案件类别</translation>
    </message>
    <message>
        <source>The catalogue sheet (案件类别) with each category&apos;s department and time limits.</source>
        <translation>案件类别表：各类别的责任部门和时限。</translation>
    </message>
    <message>
        <source>%1 current categories.</source>
        <translation>现有类别 %1 个。</translation>
    </message>
</context>
<context>
    <name>CategoryEditor</name>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>— none —</source>
        <translation>— 无 —</translation>
    </message>
    <message>
        <source>Urgent (filed and dispatched first)</source>
        <translation>紧急（优先立案和派遣）</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>所属位置</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Responsible department</source>
        <translation>责任部门</translation>
    </message>
    <message>
        <source>Command level</source>
        <translation>指挥层级</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>0 = the center default</source>
        <translation>0 = 中心默认值</translation>
    </message>
    <message>
        <source>default: %1</source>
        <translation>默认：%1</translation>
    </message>
    <message>
        <source>Time limits</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>Filing condition</source>
        <translation>立案条件</translation>
    </message>
    <message>
        <source>Closing condition</source>
        <translation>结案条件</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save the category (Ctrl+S)</source>
        <translation>保存类别（Ctrl+S）</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <source>Retire…</source>
        <translation>停用…</translation>
    </message>
    <message>
        <source>Move…</source>
        <translation>移动…</translation>
    </message>
    <message>
        <source>(disabled)</source>
        <translation>（已停用）</translation>
    </message>
    <message>
        <source>Choose a category in the tree</source>
        <translation>请在目录树中选择类别</translation>
    </message>
    <message>
        <source>Category %1</source>
        <translation>类别 %1</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>leaf</source>
        <translation>末级</translation>
    </message>
    <message>
        <source>class</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>%1 open cases of this category keep the deadlines they have now. A changed limit applies to case stages that start after you save.</source>
        <translation>该类别的 %1 件在办案件保留现有时限。修改后的时限适用于保存后开始的案件环节。</translation>
    </message>
    <message>
        <source>A changed limit applies to case stages that start after you save.</source>
        <translation>修改后的时限适用于保存后开始的案件环节。</translation>
    </message>
</context>
<context>
    <name>CategoryPicker</name>
    <message>
        <source>name, pinyin initials (e.g. bllj) or code</source>
        <translation>名称、拼音首字母（如 bllj）或编码</translation>
    </message>
    <message>
        <source>loading categories…</source>
        <translation>正在加载类别…</translation>
    </message>
    <message>
        <source>categories could not be loaded</source>
        <translation>无法加载类别</translation>
    </message>
</context>
<context>
    <name>ChangeLevelForm</name>
    <message>
        <source>From %1 level to %2 level</source>
        <translation>从%1级改为%2级</translation>
    </message>
    <message>
        <source>Why the other command level should dispatch it</source>
        <translation>为何应由另一指挥层级派遣</translation>
    </message>
    <message>
        <source>Command level</source>
        <translation>指挥层级</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>A reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>CharCounter</name>
    <message>
        <source>Characters used / allowed</source>
        <translation>已用字数 / 上限</translation>
    </message>
    <message>
        <source>%1: %2 characters, at most %3</source>
        <translation>%1：%2 个字，最多 %3 个字</translation>
    </message>
</context>
<context>
    <name>ChartBox</name>
    <message>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <source>Export PNG</source>
        <translation>导出 PNG</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
</context>
<context>
    <name>ChartsPage</name>
    <message>
        <source>Scope (from the drill-down):</source>
        <translation>范围（来自钻取分析）：</translation>
    </message>
    <message>
        <source>Reported vs closed per day</source>
        <translation>每日上报与结案</translation>
    </message>
    <message>
        <source>On-time closure rate, last 12 weeks</source>
        <translation>近 12 周按时结案率</translation>
    </message>
    <message>
        <source>Top categories (reported)</source>
        <translation>高发类别（上报数）</translation>
    </message>
    <message>
        <source>Department ranking (composite score)</source>
        <translation>部门排名（综合得分）</translation>
    </message>
    <message>
        <source>Overdue now, by age</source>
        <translation>当前超时案件（按超时时长）</translation>
    </message>
    <message>
        <source>Load by hour of week (reports)</source>
        <translation>一周各时段上报量</translation>
    </message>
    <message>
        <source>Hover a bar or point for its value; click it to see the cases behind it.</source>
        <translation>鼠标悬停在柱或点上可查看数值；点击可查看对应的案件。</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>%1: reported %2, closed %3</source>
        <translation>%1：上报 %2，结案 %3</translation>
    </message>
    <message>
        <source>Uncategorised (not yet filed)</source>
        <translation>未分类（未立案）</translation>
    </message>
    <message>
        <source>&lt; 1 day</source>
        <translation>&lt; 1 天</translation>
    </message>
    <message>
        <source>1–3 days</source>
        <translation>1–3 天</translation>
    </message>
    <message>
        <source>3–7 days</source>
        <translation>3–7 天</translation>
    </message>
    <message>
        <source>7–30 days</source>
        <translation>7–30 天</translation>
    </message>
    <message>
        <source>&gt; 30 days</source>
        <translation>&gt; 30 天</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>上报量</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>Something went wrong in GridStation: %1</source>
        <translation>GridStation 出错了：%1</translation>
    </message>
    <message>
        <source>The details are in the log file:
%1
Please send it to your support contact.</source>
        <translation>详细信息已写入日志文件：
%1
请将该文件发给技术支持人员。</translation>
    </message>
    <message>
        <source>GridStation — error</source>
        <translation>GridStation — 错误</translation>
    </message>
</context>
<context>
    <name>DecideForm</name>
    <message>
        <source>Request</source>
        <translation>申请类型</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>%1 working hours</source>
        <translation>%1 工作时</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>required to reject</source>
        <translation>驳回时必填</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>同意(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Reject</source>
        <translation>驳回(&amp;R)</translation>
    </message>
    <message>
        <source>No request is waiting on this case</source>
        <translation>该案件没有待审批的申请</translation>
    </message>
    <message>
        <source>A note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>DepartmentsPage</name>
    <message>
        <source>Departments</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Departments are disabled, never deleted. A department that current categories route to cannot be disabled until they have another one.</source>
        <translation>部门只能停用，不能删除。现行类别所指向的部门，须先为这些类别改配其他部门后才能停用。</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>上级部门</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Open cases</source>
        <translation>在办案件</translation>
    </message>
    <message>
        <source>New department…</source>
        <translation>新增部门…</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>— none —</source>
        <translation>— 无 —</translation>
    </message>
    <message>
        <source>Active (may receive cases)</source>
        <translation>启用（可接收案件）</translation>
    </message>
    <message>
        <source>Serves region</source>
        <translation>服务区域</translation>
    </message>
    <message>
        <source>A street-level department serves one street; the parent of a street unit is the district department it is the local arm of (dispatch suggests it for that department&apos;s categories).</source>
        <translation>街道级部门只服务一个街道；街道单位的上级部门是其所对应的区级部门（派遣该区级部门负责的类别时会推荐此街道单位）。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>New department</source>
        <translation>新增部门</translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation>已新增 %1。</translation>
    </message>
</context>
<context>
    <name>DispatchForm</name>
    <message>
        <source>Looking up the responsible department…</source>
        <translation>正在查找责任部门…</translation>
    </message>
    <message>
        <source>type to search departments</source>
        <translation>输入以搜索部门</translation>
    </message>
    <message>
        <source>optional: instructions for the department</source>
        <translation>选填：对部门的处置要求</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>责任部门</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>(suggested)</source>
        <translation>（推荐）</translation>
    </message>
    <message>
        <source>No responsible department is configured for this category; choose one.</source>
        <translation>该类别未配置责任部门，请选择。</translation>
    </message>
    <message>
        <source>Street-level case (%1): the street&apos;s unit for this category.</source>
        <translation>%1级案件：由本街道负责该类别的单位处置。</translation>
    </message>
    <message>
        <source>%1-level case: the category %2 is handled by %3.</source>
        <translation>%1级案件：类别“%2”由%3处置。</translation>
    </message>
    <message>
        <source>Choose a department from the list</source>
        <translation>请从列表中选择部门</translation>
    </message>
</context>
<context>
    <name>DrillPage</name>
    <message>
        <source>环比 (previous period)</source>
        <translation>环比（上期）</translation>
    </message>
    <message>
        <source>同比 (a year earlier)</source>
        <translation>同比（去年同期）</translation>
    </message>
    <message>
        <source>同比 and 环比</source>
        <translation>同比和环比</translation>
    </message>
    <message>
        <source>No comparison</source>
        <translation>不对比</translation>
    </message>
    <message>
        <source>(not shown)</source>
        <translation>（不显示）</translation>
    </message>
    <message>
        <source>Colour the main map&apos;s regions by this figure, for the children of the current node and the same period; click a region there to drill down</source>
        <translation>按此指标为主窗口地图上当前节点的各下级区域着色（与表格同一统计周期）；在地图上单击区域即可下钻</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上一级</translation>
    </message>
    <message>
        <source>Early warnings</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Double-click a warning to see its cases.</source>
        <translation>双击预警可查看相关案件。</translation>
    </message>
    <message>
        <source>Compare:</source>
        <translation>对比：</translation>
    </message>
    <message>
        <source>On the map:</source>
        <translation>地图专题：</translation>
    </message>
    <message>
        <source>Click a number to see the cases behind it; double-click a row to drill down.</source>
        <translation>点击数字可查看对应的案件；双击行可逐级下钻。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n child(ren) · click a number to see the cases behind it; double-click a row to drill down</source>
        <translation>
            <numerusform>%1 · 下级 %n 个 · 单击数字查看其背后的案件，双击一行下钻</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not load: %1</source>
        <translation>无法加载：%1</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>(early warnings unavailable)</source>
        <translation>（预警不可用）</translation>
    </message>
    <message>
        <source>Surge in grid %1: %2 reports (expected %3)</source>
        <translation>网格 %1 上报激增：%2 件（预期 %3 件）</translation>
    </message>
    <message>
        <source>Surge in category %1: %2 reports (expected %3)</source>
        <translation>类别 %1 上报激增：%2 件（预期 %3 件）</translation>
    </message>
    <message>
        <source>Bounced case %1: %2 returns, %3 department changes</source>
        <translation>推诿案件 %1：回退 %2 次，变更部门 %3 次</translation>
    </message>
    <message>
        <source>No warnings for this period.</source>
        <translation>本期无预警。</translation>
    </message>
    <message>
        <source>Early warnings (%1)</source>
        <translation>预警（%1）</translation>
    </message>
</context>
<context>
    <name>DrillPanel</name>
    <message>
        <source>This month by area</source>
        <translation>本月分区情况</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>Closure</source>
        <translation>结案率</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>按期率</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>%1 this month</source>
        <translation>%1 · 本月</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>You changed case %1 yourself at %2 (in another window or an earlier step) after this view was opened. This change was not applied; the case has been reloaded, please decide again.</source>
        <translation>案件 %1 已于 %2 被您本人修改（在另一个窗口或之前的步骤中），晚于本页面打开的时间。本次修改未执行；案件已重新载入，请重新处理。</translation>
    </message>
    <message>
        <source>Case %1 was changed by %2 at %3 after you opened it. Your change was not applied; the case has been reloaded, please decide again.</source>
        <translation>案件 %1 在您打开后已被 %2 于 %3 修改。您的操作未生效；案件已重新加载，请重新处理。</translation>
    </message>
    <message>
        <source>another user</source>
        <translation>其他用户</translation>
    </message>
    <message>
        <source>The connection broke while saving and the database could not be asked whether it was saved. Try again when the connection is back: if it was saved, you get the same result, never a second copy.</source>
        <translation>保存时连接中断，且无法向数据库确认是否已保存。请在连接恢复后再试：如果已经保存，您会得到同一个结果，绝不会重复保存。</translation>
    </message>
    <message>
        <source>The database cannot be reached. Nothing was saved; try again when the connection is back.</source>
        <translation>无法连接数据库，未保存任何内容；请在连接恢复后重试。</translation>
    </message>
    <message>
        <source>Not allowed: %1</source>
        <translation>不允许：%1</translation>
    </message>
    <message>
        <source>The case is now &apos;%1&apos;; this action is no longer possible. The case has been reloaded.</source>
        <translation>案件当前状态为“%1”，已无法执行此操作。案件已重新加载。</translation>
    </message>
    <message>
        <source>Please check %1: %2</source>
        <translation>请检查%1：%2</translation>
    </message>
    <message>
        <source>This database has no GridStation schema yet. An administrator creates it with: gridstation-cli db upgrade</source>
        <translation>该数据库还没有 GridStation 数据结构。请管理员执行以下命令创建：gridstation-cli db upgrade</translation>
    </message>
    <message>
        <source>The database&apos;s schema (revision %1) is older than this GridStation&apos;s (%2). This client will not write to it. An administrator upgrades it once every workstation is updated: gridstation-cli db upgrade</source>
        <translation>数据库的数据结构（版本 %1）比本程序的（%2）旧。本客户端不会向其写入任何内容。请管理员在所有工作站都更新后执行升级：gridstation-cli db upgrade</translation>
    </message>
    <message>
        <source>The database&apos;s schema (revision %1) is newer than this GridStation knows (%2): it was upgraded by a newer version. This client will not write to it; install the new version.</source>
        <translation>数据库的数据结构（版本 %1）比本程序所知的（%2）新：它已被更新版本的 GridStation 升级。本客户端不会向其写入任何内容，请安装新版本。</translation>
    </message>
    <message>
        <source>It no longer exists (%1). Refresh and try again.</source>
        <translation>对象已不存在（%1）。请刷新后重试。</translation>
    </message>
</context>
<context>
    <name>EvaluationPage</name>
    <message>
        <source>Evaluation weights</source>
        <translation>评价权重</translation>
    </message>
    <message>
        <source>Each object&apos;s composite score is the weighted sum of its indicator scores; the weights of an object sum to 100. Indicators without a basis in a period share their weight out.</source>
        <translation>每个对象的综合得分为其各项指标得分的加权和，同一对象的权重合计为 100。某期内缺少计算基础的指标，其权重由其余指标分摊。</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>From score</source>
        <translation>最低分</translation>
    </message>
    <message>
        <source>Add band</source>
        <translation>添加等级</translation>
    </message>
    <message>
        <source>Remove band</source>
        <translation>删除等级</translation>
    </message>
    <message>
        <source>Grade bands (highest first, the last from 0)</source>
        <translation>等级划分（从高到低，最后一级从 0 分起）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Fill in the defaults</source>
        <translation>填入默认值</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <source>Evaluation weights saved.</source>
        <translation>评价权重已保存。</translation>
    </message>
    <message>
        <source>Regions</source>
        <extracomment>Evaluation region indicators → drill-down figures whose cases are behind them.</extracomment>
        <translation>区域</translation>
    </message>
    <message>
        <source>Departments</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Positions</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Evaluate:</source>
        <translation>评价对象：</translation>
    </message>
    <message>
        <source>Unit grid</source>
        <translation>单元网格</translation>
    </message>
    <message>
        <source>All positions</source>
        <translation>全部岗位</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message numerus="yes">
        <source>%n object(s) · %1 · hover a column header for its formula</source>
        <translation>
            <numerusform>%n 个对象 · %1 · 鼠标悬停在列标题上可查看计算公式</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not evaluate: %1</source>
        <translation>无法评价：%1</translation>
    </message>
</context>
<context>
    <name>ExtensionForm</name>
    <message>
        <source>working hours</source>
        <translation>工作时</translation>
    </message>
    <message>
        <source>Why more time is needed</source>
        <translation>需要延期的原因</translation>
    </message>
    <message>
        <source>Extension</source>
        <translation>延期时长</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>A reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>FileForm</name>
    <message>
        <source>optional</source>
        <translation>选填</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>案件类别</translation>
    </message>
    <message>
        <source>Filing condition</source>
        <translation>立案条件</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>Choose a current leaf category</source>
        <translation>请选择现行的末级类别</translation>
    </message>
</context>
<context>
    <name>GridsPage</name>
    <message>
        <source>Unit grids</source>
        <translation>单元网格</translation>
    </message>
    <message>
        <source>Import the grid layer; each grid is checked against its community&apos;s boundary.</source>
        <translation>导入单元网格图层；每个网格都按所属社区的边界检查。</translation>
    </message>
    <message>
        <source>Grid file</source>
        <translation>网格文件</translation>
    </message>
    <message>
        <source>Field mapping</source>
        <translation>字段对应</translation>
    </message>
    <message>
        <source>Import the grids</source>
        <translation>导入网格</translation>
    </message>
    <message>
        <source>%1 current unit grids.</source>
        <translation>现有单元网格 %1 个。</translation>
    </message>
</context>
<context>
    <name>HeadlinePanel</name>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>Filed</source>
        <translation>立案</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>派遣</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Open now</source>
        <translation>在办</translation>
    </message>
    <message>
        <source>Overdue now</source>
        <translation>当前超时</translation>
    </message>
    <message>
        <source>vs yesterday %1 %2</source>
        <translation>较昨日同期 %1 %2</translation>
    </message>
    <message numerus="yes">
        <source>%n new today</source>
        <translation>
            <numerusform>今日新增 %n 件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportPreviewDialog</name>
    <message>
        <source>Import preview — %1</source>
        <translation>导入预览 — %1</translation>
    </message>
    <message>
        <source>sheet</source>
        <translation>表格</translation>
    </message>
    <message>
        <source>%1 added · %2 changed (%3 moved) · %4 restored · %5 retired · %6 unchanged</source>
        <translation>新增 %1 · 修改 %2（移动 %3）· 恢复 %4 · 停用 %5 · 未变 %6</translation>
    </message>
    <message>
        <source>Nothing has been written yet. Apply writes all of these changes in one step, or none of them. Retired categories stay on the cases filed with them and leave the pickers. A changed time limit applies to case stages that start after the import; running cases keep their deadlines.</source>
        <translation>尚未写入任何内容。“应用全部修改”将一次性写入以下全部修改，要么全部生效，要么全部不生效。已停用的类别仍保留在按其立案的案件上，但不再出现在选择列表中。修改后的时限适用于导入后开始的案件环节；进行中的案件保留原有时限。</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变更</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Old value</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>Apply all changes</source>
        <translation>应用全部修改</translation>
    </message>
    <message>
        <source>The sheet matches the catalogue: there is nothing to change.</source>
        <translation>表格与分类目录一致，无需修改。</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Restored</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Retired</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Moved</source>
        <translation>移动</translation>
    </message>
    <message>
        <source>%1 limit</source>
        <translation>%1时限</translation>
    </message>
    <message>
        <source>Responsible department</source>
        <translation>责任部门</translation>
    </message>
    <message>
        <source>Command level</source>
        <translation>指挥层级</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>Filing condition</source>
        <translation>立案条件</translation>
    </message>
    <message>
        <source>Closing condition</source>
        <translation>结案条件</translation>
    </message>
    <message>
        <source>Class (major / minor)</source>
        <translation>所属分类（大类/小类）</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>IntakeDialog</name>
    <message>
        <source>New report</source>
        <translation>新建上报</translation>
    </message>
    <message>
        <source>name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>street, number, landmark</source>
        <translation>街巷、门牌号、标志物</translation>
    </message>
    <message>
        <source>Locate</source>
        <translation>定位</translation>
    </message>
    <message>
        <source>Find the address and its grid (Enter in the address field)</source>
        <translation>查找地址及所在网格（在地址栏按 Enter）</translation>
    </message>
    <message>
        <source>grid code, or click on the map</source>
        <translation>网格编码，或在地图上点选</translation>
    </message>
    <message>
        <source>No place yet: locate the address, click on the map or choose a grid.</source>
        <translation>尚未确定位置：请定位地址、在地图上点选或选择网格。</translation>
    </message>
    <message>
        <source>what the caller sees, where exactly, since when</source>
        <translation>反映的问题、具体位置、出现时间</translation>
    </message>
    <message>
        <source>Already fixed on the spot (self-handled, the shift leader reviews)</source>
        <translation>已当场处理（自处理，由值班长审核）</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>上报人</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>案件类别</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>问题描述</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Possible duplicates</source>
        <translation>疑似重复案件</translation>
    </message>
    <message>
        <source>Same category within %1 m, reported in the last 24 hours.</source>
        <translation>%1 米范围内、24 小时内上报的同类案件。</translation>
    </message>
    <message>
        <source>Give a place to check for duplicates.</source>
        <translation>确定位置后即可检查重复案件。</translation>
    </message>
    <message>
        <source>Open this case instead</source>
        <translation>改为打开此案件</translation>
    </message>
    <message>
        <source>Save report</source>
        <translation>保存上报</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Your position does not take reports.</source>
        <translation>您的岗位不能受理上报。</translation>
    </message>
    <message>
        <source>Finding the grid…</source>
        <translation>正在查找网格…</translation>
    </message>
    <message>
        <source>This point lies in no unit grid of the city.</source>
        <translation>该点不在本市任何单元网格内。</translation>
    </message>
    <message>
        <source>No single grid matches %1.</source>
        <translation>没有唯一匹配“%1”的网格。</translation>
    </message>
    <message>
        <source>Point %1, %2 in grid %3 (%4)</source>
        <translation>坐标 %1, %2，位于网格 %3（%4）</translation>
    </message>
    <message>
        <source>Grid %1 (%2); no point: the case goes to the grid&apos;s centre.</source>
        <translation>网格 %1（%2）；未指定点位：案件定位到网格中心。</translation>
    </message>
    <message>
        <source>Type an address first.</source>
        <translation>请先输入地址。</translation>
    </message>
    <message>
        <source>Address lookup not available: click on the map or choose a grid.</source>
        <translation>地址查询不可用：请在地图上点选或选择网格。</translation>
    </message>
    <message>
        <source>Looking up the address…</source>
        <translation>正在查询地址…</translation>
    </message>
    <message>
        <source>Address not found: click on the map or choose a grid.</source>
        <translation>未找到地址：请在地图上点选或选择网格。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>Possible duplicates found: open one of them, or save anyway.</source>
        <translation>发现疑似重复案件：请打开其中一件，或仍然保存。</translation>
    </message>
    <message>
        <source>Possible duplicates: %1</source>
        <translation>疑似重复：%1 件</translation>
    </message>
    <message>
        <source>No similar case nearby.</source>
        <translation>附近没有相似案件。</translation>
    </message>
    <message>
        <source>Save anyway</source>
        <translation>仍然保存</translation>
    </message>
    <message>
        <source>Give the place: locate the address, click on the map or choose a grid</source>
        <translation>请确定位置：定位地址、在地图上点选或选择网格</translation>
    </message>
    <message>
        <source>A description is required</source>
        <translation>请填写问题描述</translation>
    </message>
    <message>
        <source>Choose the category from the list (or leave it empty)</source>
        <translation>请从列表中选择类别（或留空）</translation>
    </message>
    <message>
        <source>Wait until the photos are read</source>
        <translation>请等待照片读取完成</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Saved as %1. The connection broke while saving; GridStation checked: the report was saved once.</source>
        <translation>已保存为 %1。保存时连接中断，系统已核实：该上报只保存了一次。</translation>
    </message>
    <message>
        <source>Saved as %1.</source>
        <translation>已保存为 %1。</translation>
    </message>
    <message>
        <source>Report saved</source>
        <translation>上报已保存</translation>
    </message>
    <message>
        <source>Unexpected error: %1</source>
        <translation>意外错误：%1</translation>
    </message>
    <message>
        <source>Maybe saved</source>
        <translation>可能已保存</translation>
    </message>
    <message>
        <source>The report was not saved</source>
        <translation>上报未保存</translation>
    </message>
</context>
<context>
    <name>Level</name>
    <message>
        <source>District</source>
        <translation>区</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>街道</translation>
    </message>
</context>
<context>
    <name>LevelsPage</name>
    <message>
        <source>Region levels</source>
        <translation>区域层级</translation>
    </message>
    <message>
        <source>One level per line, top first: KEY=NAME (2 to 6 levels). Unit grids hang under the last level.</source>
        <translation>每行一个层级，自上而下：键=名称（2 至 6 级）。单元网格挂在最后一级之下。</translation>
    </message>
    <message>
        <source>Save levels</source>
        <translation>保存层级</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>没有变化。</translation>
    </message>
    <message>
        <source>No levels yet.</source>
        <translation>尚未设置层级。</translation>
    </message>
</context>
<context>
    <name>Light</name>
    <message>
        <source>On time</source>
        <translation>按时</translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation>即将超时</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Parked</source>
        <translation>挂账</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Connection to the database lost at %1. Showing the last known data; reconnecting automatically… Actions cannot be saved until it is back.</source>
        <translation>数据库连接于 %1 中断。当前显示最后获取的数据，正在自动重连…连接恢复前无法保存操作。</translation>
    </message>
    <message>
        <source>Connection restored; everything has been refreshed.</source>
        <translation>连接已恢复，所有数据已刷新。</translation>
    </message>
    <message>
        <source>GridStation — %1 (%2)</source>
        <translation>GridStation — %1（%2）</translation>
    </message>
    <message>
        <source>Case queues</source>
        <translation>案件队列</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>New report</source>
        <translation>新建上报</translation>
    </message>
    <message>
        <source>Take a new report (F2)</source>
        <translation>受理新上报（F2）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Go to queue</source>
        <translation>转到队列</translation>
    </message>
    <message>
        <source>Go to case</source>
        <translation>转到案件</translation>
    </message>
    <message>
        <source>Reset layout</source>
        <translation>重置布局</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Analytics</source>
        <translation>统计分析</translation>
    </message>
    <message>
        <source>Drill-down, evaluation and charts</source>
        <translation>钻取分析、综合评价和图表</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Weekly review…</source>
        <translation>周报…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Wall display…</source>
        <translation>指挥大屏…</translation>
    </message>
    <message>
        <source>Start the command hall&apos;s big screen on a screen of this workstation</source>
        <translation>在本工作站的一块屏幕上启动指挥大厅大屏</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Administration…</source>
        <translation>系统管理…</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>● live</source>
        <translation>● 在线</translation>
    </message>
    <message>
        <source>The language changes the next time GridStation starts.</source>
        <translation>语言将在下次启动 GridStation 时生效。</translation>
    </message>
    <message>
        <source>● offline</source>
        <translation>● 离线</translation>
    </message>
</context>
<context>
    <name>MapLayer</name>
    <message>
        <source>Reported</source>
        <translation>上报量</translation>
    </message>
    <message>
        <source>No value</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>%1 by %2 · %3</source>
        <translation>%1 · 按%2 · %3</translation>
    </message>
    <message>
        <source>unit grid</source>
        <translation>单元网格</translation>
    </message>
    <message>
        <source>child region</source>
        <translation>下级区域</translation>
    </message>
</context>
<context>
    <name>MapPage</name>
    <message>
        <source>Base map</source>
        <translation>底图</translation>
    </message>
    <message>
        <source>GridStation works offline: the base map is drawn from the region outlines, or comes from a tile server on the intranet or an MBTiles file present on every workstation.</source>
        <translation>GridStation 可离线运行：底图可由区域轮廓绘制，也可取自内网瓦片服务器，或每台工作站上都有的 MBTiles 文件。</translation>
    </message>
    <message>
        <source>Outline map (district, street and community boundaries)</source>
        <translation>轮廓底图（区、街道、社区边界）</translation>
    </message>
    <message>
        <source>Tile server on the intranet (XYZ)</source>
        <translation>内网瓦片服务器（XYZ）</translation>
    </message>
    <message>
        <source>MBTiles file</source>
        <translation>MBTiles 文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Zoom levels</source>
        <translation>缩放级别</translation>
    </message>
    <message>
        <source>Attribution</source>
        <translation>版权信息</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Where the map opens</source>
        <translation>地图初始位置</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>缩放级别</translation>
    </message>
    <message>
        <source>Not set: the map opens on the whole city.</source>
        <translation>未设置：地图打开时显示全市。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Open windows change their base map the next time they load the map.</source>
        <translation>已打开的窗口将在下次加载地图时更换底图。</translation>
    </message>
    <message>
        <source>This workstation has no such file; every workstation needs it at this path.</source>
        <translation>本工作站没有该文件；每台工作站都需要在此路径下存放该文件。</translation>
    </message>
    <message>
        <source>MBTiles (*.mbtiles)</source>
        <translation>MBTiles (*.mbtiles)</translation>
    </message>
    <message>
        <source>Map settings saved.</source>
        <translation>地图设置已保存。</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>没有任何修改。</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <source>Live map</source>
        <translation>实时地图</translation>
    </message>
    <message>
        <source>%1 open · %2 overdue</source>
        <translation>在办 %1 件 · 超时 %2 件</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <source>Legend</source>
        <translation>图例</translation>
    </message>
    <message>
        <source>Unit grids</source>
        <translation>单元网格</translation>
    </message>
    <message>
        <source>No open case</source>
        <translation>无在办案件</translation>
    </message>
    <message>
        <source>Open cases</source>
        <translation>在办案件</translation>
    </message>
    <message>
        <source>Overdue cases</source>
        <translation>超时案件</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Components</source>
        <translation>部件</translation>
    </message>
    <message>
        <source>Region boundaries</source>
        <translation>区域边界</translation>
    </message>
    <message>
        <source>Outline map</source>
        <translation>轮廓底图</translation>
    </message>
    <message>
        <source>Tile map</source>
        <translation>瓦片底图</translation>
    </message>
    <message>
        <source>open</source>
        <translation>件在办</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>件超时</translation>
    </message>
</context>
<context>
    <name>MiniMap</name>
    <message>
        <source>The case&apos;s unit grid (blue), the grids around it and the reported point</source>
        <translation>案件所在单元网格（蓝色）、周边网格及上报点位</translation>
    </message>
    <message>
        <source>No location</source>
        <translation>无位置</translation>
    </message>
</context>
<context>
    <name>MoveDialog</name>
    <message>
        <source>Move %1</source>
        <translation>移动 %1</translation>
    </message>
    <message>
        <source>New parent</source>
        <translation>新的上级</translation>
    </message>
    <message>
        <source>Everything under the category moves with it; it takes the kind of its new parent.</source>
        <translation>该类别下的所有内容随之移动；其类型（部件/事件）随新上级而定。</translation>
    </message>
</context>
<context>
    <name>NoteForm</name>
    <message>
        <source>optional</source>
        <translation>选填</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Closing condition</source>
        <translation>结案条件</translation>
    </message>
    <message>
        <source>A note: at most %1 characters</source>
        <translation>备注最多 %1 个字符</translation>
    </message>
</context>
<context>
    <name>OrgPage</name>
    <message>
        <source>Departments</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>The departments list (a sheet 部门): code, name, level, parent, region.</source>
        <translation>部门名单（“部门”工作表）：代码、名称、层级、上级部门、所属区域。</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>The staff list (a sheet 用户): login, name, position, region, department. New accounts get temporary passwords, shown here once.</source>
        <translation>人员名单（“用户”工作表）：账号、姓名、岗位、区域、部门。新账号获得临时密码，只在此显示一次。</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Temporary password</source>
        <translation>临时密码</translation>
    </message>
    <message>
        <source>%1 active departments.</source>
        <translation>在用部门 %1 个。</translation>
    </message>
    <message>
        <source>%1 accounts besides the administrators.</source>
        <translation>管理员以外的账号 %1 个。</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Temporary password</source>
        <translation>临时密码</translation>
    </message>
    <message>
        <source>The temporary password of %1 is shown only now. Give it to the user in person; they should change it at their first sign-in.</source>
        <translation>%1 的临时密码仅在此时显示。请当面交给该用户；用户应在首次登录时修改密码。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>PeriodPicker</name>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>This week to date</source>
        <translation>本周至今</translation>
    </message>
    <message>
        <source>This month to date</source>
        <translation>本月至今</translation>
    </message>
    <message>
        <source>This quarter to date</source>
        <translation>本季至今</translation>
    </message>
    <message>
        <source>This year to date</source>
        <translation>本年至今</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>自定义范围</translation>
    </message>
    <message>
        <source>Last week</source>
        <translation>上周</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>the day before</source>
        <translation>前一日</translation>
    </message>
    <message>
        <source>the same days of last week</source>
        <translation>上周同期</translation>
    </message>
    <message>
        <source>the same days of last month</source>
        <translation>上月同期</translation>
    </message>
    <message>
        <source>the same span of last quarter</source>
        <translation>上季同期</translation>
    </message>
    <message>
        <source>the same span of last year</source>
        <translation>上年同期</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>季度</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年</translation>
    </message>
    <message>
        <source>the week before</source>
        <translation>上一周</translation>
    </message>
    <message>
        <source>the month before</source>
        <translation>上一月</translation>
    </message>
    <message>
        <source>the quarter before</source>
        <translation>上一季度</translation>
    </message>
    <message>
        <source>the year before</source>
        <translation>上一年</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>the same number of days before</source>
        <translation>之前同样天数</translation>
    </message>
    <message>
        <source>环比 against %1 %2</source>
        <translation>环比：%1 %2</translation>
    </message>
    <message>
        <source>同比 against the same days a year earlier %1</source>
        <translation>同比：去年同期 %1</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>统计周期：</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n 天</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PhotoList</name>
    <message>
        <source>Add photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the selected photos (Delete)</source>
        <translation>移除所选照片（Delete）</translation>
    </message>
    <message>
        <source>%1 of %2 photos</source>
        <translation>已选 %1 张，最多 %2 张</translation>
    </message>
    <message>
        <source>Add photos</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <source>Pictures (*.jpg *.jpeg *.png *.webp *.gif)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.webp *.gif)</translation>
    </message>
    <message>
        <source>At most %1 photos</source>
        <translation>最多 %1 张照片</translation>
    </message>
</context>
<context>
    <name>PhotoNoteForm</name>
    <message>
        <source>The problem is real (confirmed on site)</source>
        <translation>问题属实（现场确认）</translation>
    </message>
    <message>
        <source>Not confirmed: nothing found on site</source>
        <translation>不属实：现场未发现问题</translation>
    </message>
    <message>
        <source>Fixed: the result is acceptable</source>
        <translation>已解决：处置结果合格</translation>
    </message>
    <message>
        <source>Not fixed: send back for rework</source>
        <translation>未解决：退回返工</translation>
    </message>
    <message>
        <source>Approve the on-the-spot fix (close the case)</source>
        <translation>认可当场处理（结案）</translation>
    </message>
    <message>
        <source>Reject: file it as a normal case</source>
        <translation>不认可：按普通案件立案</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Closing condition</source>
        <translation>结案条件</translation>
    </message>
    <message>
        <source>required: what was done to fix it</source>
        <translation>必填：采取了哪些处置措施</translation>
    </message>
    <message>
        <source>required: what was found</source>
        <translation>必填：现场发现的情况</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>选填</translation>
    </message>
    <message>
        <source>Choose a result</source>
        <translation>请选择结果</translation>
    </message>
    <message>
        <source>A note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Wait until the photos are read</source>
        <translation>请等待照片读取完成</translation>
    </message>
</context>
<context>
    <name>PhotoViewer</name>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>This picture cannot be shown</source>
        <translation>无法显示此图片</translation>
    </message>
</context>
<context>
    <name>Position</name>
    <message>
        <source>Supervisor</source>
        <extracomment>A profile&apos;s own positions (``wf_position``): key → (Chinese name, English name).</extracomment>
        <translation>监督员</translation>
    </message>
    <message>
        <source>Intake operator</source>
        <translation>受理员</translation>
    </message>
    <message>
        <source>Shift leader</source>
        <translation>值班长</translation>
    </message>
    <message>
        <source>Dispatcher</source>
        <translation>派遣员</translation>
    </message>
    <message>
        <source>Street dispatcher</source>
        <translation>街道派遣员</translation>
    </message>
    <message>
        <source>Department handler</source>
        <translation>部门处置员</translation>
    </message>
    <message>
        <source>Leader</source>
        <translation>领导</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>系统管理员</translation>
    </message>
    <message>
        <source>Wall display (read-only)</source>
        <translation>大屏展示（只读）</translation>
    </message>
</context>
<context>
    <name>PreviewApplyPage</name>
    <message>
        <source>Workbook</source>
        <translation>工作簿</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Applied.</source>
        <translation>已应用。</translation>
    </message>
</context>
<context>
    <name>ProfilePage</name>
    <message>
        <source>Profile: the shape of the center</source>
        <translation>配置方案：中心的组织形态</translation>
    </message>
    <message>
        <source>Choose the profile closest to your city: its levels and its workflow rules. Both can be changed later in the administration.</source>
        <translation>选择与本市最接近的配置方案：区域层级和流程规则。两者以后都可以在系统管理中修改。</translation>
    </message>
    <message>
        <source>Apply this profile</source>
        <translation>应用此方案</translation>
    </message>
    <message>
        <source>Keep the rules in force</source>
        <translation>保留现行规则</translation>
    </message>
    <message>
        <source>Rules in force: %1.</source>
        <translation>现行规则：%1。</translation>
    </message>
    <message>
        <source>No profile chosen yet (the rules in force: %1).</source>
        <translation>尚未选择方案（现行规则：%1）。</translation>
    </message>
</context>
<context>
    <name>Queue</name>
    <message>
        <source>My tasks</source>
        <translation>我的待办</translation>
    </message>
    <message>
        <source>To verify</source>
        <translation>待核实</translation>
    </message>
    <message>
        <source>To file</source>
        <translation>待立案</translation>
    </message>
    <message>
        <source>Self-handled</source>
        <translation>自处理</translation>
    </message>
    <message>
        <source>To dispatch</source>
        <translation>待派遣</translation>
    </message>
    <message>
        <source>In handling</source>
        <translation>处置中</translation>
    </message>
    <message>
        <source>Awaiting feedback</source>
        <translation>待反馈</translation>
    </message>
    <message>
        <source>Parked</source>
        <translation>挂账</translation>
    </message>
    <message>
        <source>To re-check</source>
        <translation>待核查</translation>
    </message>
    <message>
        <source>To close</source>
        <translation>待结案</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>Urged</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>All open</source>
        <translation>全部在办</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>历时</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Time left in the current stage (working time); sorts by deadline</source>
        <translation>当前环节的剩余时间（按工作时间计）；按截止时间排序</translation>
    </message>
    <message>
        <source>Time since the case was reported</source>
        <translation>自上报以来经过的时间</translation>
    </message>
    <message>
        <source>⚑ urged; a waiting request (return, extension, parking, void)</source>
        <translation>⚑ 督办；待审批的申请（回退、延期、挂账、作废）</translation>
    </message>
    <message>
        <source>%1, due %2</source>
        <translation>%1，%2 到期</translation>
    </message>
    <message>
        <source>Reported %1</source>
        <translation>%1 上报</translation>
    </message>
    <message>
        <source>Urged, waiting for the department&apos;s reply</source>
        <translation>已督办，等待部门回复</translation>
    </message>
    <message>
        <source>Waiting for approval: %1</source>
        <translation>待审批：%1申请</translation>
    </message>
</context>
<context>
    <name>QueuePane</name>
    <message>
        <source>Ctrl+%1</source>
        <translation>Ctrl+%1</translation>
    </message>
    <message>
        <source>Search (Ctrl+F)</source>
        <translation>搜索（Ctrl+F）</translation>
    </message>
    <message>
        <source>Case number, address or description; Enter goes to the list, Esc clears</source>
        <translation>案件编号、地址或描述；按 Enter 转到列表，按 Esc 清除</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Any deadline</source>
        <translation>全部时限</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>All sources</source>
        <translation>全部来源</translation>
    </message>
    <message>
        <source>Category (with its subcategories)</source>
        <translation>类别（含子类）</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Region (with the regions inside it)</source>
        <translation>区域（含下级区域）</translation>
    </message>
    <message>
        <source>All regions</source>
        <translation>全部区域</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <source>Saved filters</source>
        <translation>常用筛选</translation>
    </message>
    <message>
        <source>Save filter</source>
        <translation>保存筛选</translation>
    </message>
    <message>
        <source>Save the current filter under a name</source>
        <translation>将当前筛选条件命名保存</translation>
    </message>
    <message>
        <source>Remove the grid filter</source>
        <translation>清除网格筛选</translation>
    </message>
    <message>
        <source>Saved filters…</source>
        <translation>常用筛选…</translation>
    </message>
    <message>
        <source>Default columns</source>
        <translation>恢复默认列</translation>
    </message>
    <message>
        <source>Grid %1 ×</source>
        <translation>网格 %1 ×</translation>
    </message>
    <message>
        <source>Name of this filter:</source>
        <translation>筛选名称：</translation>
    </message>
    <message>
        <source>Cases: %1 of %2</source>
        <translation>案件：%1 / %2</translation>
    </message>
    <message>
        <source>Cases: %1</source>
        <translation>案件：%1</translation>
    </message>
</context>
<context>
    <name>RankingPanel</name>
    <message>
        <source>Department ranking</source>
        <translation>部门排名</translation>
    </message>
    <message>
        <source>Street ranking</source>
        <translation>街道排名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>No cases this month yet</source>
        <translation>本月暂无案件</translation>
    </message>
    <message>
        <source>month to date, from %1</source>
        <translation>本月累计（%1 起）</translation>
    </message>
</context>
<context>
    <name>ReasonForm</name>
    <message>
        <source>Why the case is not for your department (the dispatcher decides)</source>
        <translation>为何不属于本部门（由派遣员审批）</translation>
    </message>
    <message>
        <source>Why it cannot be solved now, e.g. it needs a budget (the dispatcher decides)</source>
        <translation>为何暂时无法解决，如需经费（由派遣员审批）</translation>
    </message>
    <message>
        <source>Why the report should be voided (the shift leader decides)</source>
        <translation>为何应作废（由值班长审批）</translation>
    </message>
    <message>
        <source>Why the report is void: not real, a duplicate, or out of scope</source>
        <translation>作废原因：不属实、重复上报或不属于受理范围</translation>
    </message>
    <message>
        <source>What is not acceptable in the result</source>
        <translation>处置结果哪里不合格</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>A reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>RecordPage</name>
    <message>
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
    </message>
</context>
<context>
    <name>RegionsPage</name>
    <message>
        <source>Regions and grids</source>
        <translation>区域与网格</translation>
    </message>
    <message>
        <source>The administrative shape of the city and the unit grids under its lowest level. Moving grids keeps their history: old cases stay on the grid as it was when they were filed.</source>
        <translation>城市的行政区划结构及其最低一级下的单元网格。移动网格会保留历史：旧案件仍对应立案时的网格。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Grids</source>
        <translation>网格数</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>标识</translation>
    </message>
    <message>
        <source>English name</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <source>Save level names</source>
        <translation>保存层级名称</translation>
    </message>
    <message>
        <source>Levels</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Add a region under it…</source>
        <translation>新增下级区域…</translation>
    </message>
    <message>
        <source>Merge into…</source>
        <translation>合并到…</translation>
    </message>
    <message>
        <source>Grid code</source>
        <translation>网格编码</translation>
    </message>
    <message>
        <source>Valid from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Valid to</source>
        <translation>失效日期</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Show ended grid versions</source>
        <translation>显示已失效的网格版本</translation>
    </message>
    <message>
        <source>Move selected grids to…</source>
        <translation>将所选网格移至…</translation>
    </message>
    <message>
        <source>Unit grids</source>
        <translation>单元网格</translation>
    </message>
    <message>
        <source>(disabled)</source>
        <translation>（已停用）</translation>
    </message>
    <message>
        <source>Renamed.</source>
        <translation>已重命名。</translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation>已新增 %1。</translation>
    </message>
    <message>
        <source>Add a region under %1</source>
        <translation>在 %1 下新增区域</translation>
    </message>
    <message>
        <source>Merged; %1 grids moved with their history.</source>
        <translation>已合并；%1 个网格已连同历史一并移动。</translation>
    </message>
    <message>
        <source>%1 grids moved with their history.</source>
        <translation>%1 个网格已连同历史一并移动。</translation>
    </message>
    <message>
        <source>Merge %1</source>
        <translation>合并 %1</translation>
    </message>
    <message>
        <source>The grids of %1 move to the target as new grid versions from the chosen day; cases already filed keep the grid as it was. Its users and departments move to the target; %1 stays in the tree, disabled.</source>
        <translation>%1 的网格将自所选日期起作为新网格版本移入目标区域；已立案的案件保留原网格。其用户和部门移至目标区域；%1 仍保留在树中，状态为停用。</translation>
    </message>
    <message>
        <source>Select the current grids to move first.</source>
        <translation>请先选择要移动的现行网格。</translation>
    </message>
    <message>
        <source>Move %1 grids</source>
        <translation>移动 %1 个网格</translation>
    </message>
    <message>
        <source>The grids move as new versions from the chosen day; cases already filed keep the grid as it was.</source>
        <translation>网格自所选日期起以新版本移动；已立案的案件保留原网格。</translation>
    </message>
    <message>
        <source>Level names saved.</source>
        <translation>层级名称已保存。</translation>
    </message>
</context>
<context>
    <name>Request</name>
    <message>
        <source>Return</source>
        <translation>回退</translation>
    </message>
    <message>
        <source>Extension</source>
        <translation>延期</translation>
    </message>
    <message>
        <source>Parking</source>
        <translation>挂账</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>作废</translation>
    </message>
</context>
<context>
    <name>Rules</name>
    <message>
        <source>own region</source>
        <translation>本辖区</translation>
    </message>
    <message>
        <source>own region and command level</source>
        <translation>本辖区、本指挥层级</translation>
    </message>
    <message>
        <source>own department</source>
        <translation>本部门</translation>
    </message>
    <message>
        <source>everywhere</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>R</source>
        <translation>辖</translation>
    </message>
    <message>
        <source>C</source>
        <translation>指</translation>
    </message>
    <message>
        <source>D</source>
        <translation>部</translation>
    </message>
    <message>
        <source>*</source>
        <translation>全</translation>
    </message>
    <message>
        <source>Supervision center</source>
        <translation>监督中心</translation>
    </message>
    <message>
        <source>Command center</source>
        <translation>指挥中心</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>专业部门</translation>
    </message>
    <message>
        <source>Leadership</source>
        <translation>领导</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>%n state(s)</source>
        <translation>%n 个状态</translation>
    </message>
    <message>
        <source>Approve return</source>
        <translation>审批回退</translation>
    </message>
    <message>
        <source>Approve extension</source>
        <translation>审批延期</translation>
    </message>
    <message>
        <source>Approve parking</source>
        <translation>审批挂账</translation>
    </message>
    <message>
        <source>Approve void</source>
        <translation>审批作废</translation>
    </message>
    <message>
        <source>Nobody may take the action “%1”.</source>
        <translation>没有岗位可以执行“%1”。</translation>
    </message>
    <message>
        <source>A “%1” request can be asked for, but nobody approves it.</source>
        <translation>可以提出“%1”申请，但没有岗位审批。</translation>
    </message>
    <message>
        <source>A case in state “%1” cannot be left.</source>
        <translation>处于“%1”的案件无法流转出去。</translation>
    </message>
    <message>
        <source>From state “%1” a case can never be closed.</source>
        <translation>处于“%1”的案件永远无法结案。</translation>
    </message>
    <message>
        <source>No case can ever be closed.</source>
        <translation>没有案件能够结案。</translation>
    </message>
    <message>
        <source>A dispatched case could be closed without an on-site re-check, which this center demands.</source>
        <translation>已派遣的案件可以不经现场核查就结案，而本中心要求核查后结案。</translation>
    </message>
    <message>
        <source>Position %1 is held by users and cannot be removed.</source>
        <translation>岗位 %1 仍有用户，不能删除。</translation>
    </message>
    <message>
        <source>%1 may decide requests but approves no kind of request.</source>
        <translation>%1 可以审批，但没有负责审批任何一类申请。</translation>
    </message>
    <message>
        <source>%1 approves requests but may not decide.</source>
        <translation>%1 负责审批申请，却没有审批权限。</translation>
    </message>
    <message>
        <source>%1 is a read-only position and may not act on cases.</source>
        <translation>%1 是只读岗位，不能办理案件。</translation>
    </message>
    <message>
        <source>No position takes reports: no case can start.</source>
        <translation>没有岗位受理上报：案件无法产生。</translation>
    </message>
</context>
<context>
    <name>RulesPage</name>
    <message>
        <source>Workflow rules</source>
        <translation>流程配置</translation>
    </message>
    <message>
        <source>Who may take which action, from which case states, within which scope; who approves which request. Click a cell to edit it. The rules are checked as a whole: a state a case cannot leave, an action nobody may take or closing without re-check cannot be saved.</source>
        <translation>哪个岗位可以在案件处于哪些状态时、在什么范围内执行哪个操作；哪个岗位审批哪类申请。点击单元格进行编辑。规则作为整体校验：案件无法流转出去的状态、无人可执行的操作、未经核查即可结案的配置都不能保存。</translation>
    </message>
    <message>
        <source>May take this action</source>
        <translation>可以执行此操作</translation>
    </message>
    <message>
        <source>From the states</source>
        <translation>适用状态</translation>
    </message>
    <message>
        <source>Apply to the draft</source>
        <translation>应用到草稿</translation>
    </message>
    <message>
        <source>Cell</source>
        <translation>单元格</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>A dispatched case is closed only after an on-site re-check</source>
        <translation>已派遣的案件须经现场核查后才能结案</translation>
    </message>
    <message>
        <source>Problems of the draft</source>
        <translation>草稿中的问题</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Self-handles (自处理)</source>
        <translation>可自处理</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Behaves like</source>
        <translation>按此岗位类型处理</translation>
    </message>
    <message>
        <source>Center</source>
        <translation>所属中心</translation>
    </message>
    <message>
        <source>Commands cases of</source>
        <translation>指挥层级</translation>
    </message>
    <message>
        <source>Takes reports from</source>
        <translation>受理来源</translation>
    </message>
    <message>
        <source>Add or change in the draft</source>
        <translation>添加或修改到草稿</translation>
    </message>
    <message>
        <source>Remove from the draft</source>
        <translation>从草稿中删除</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s): the draft cannot be saved</source>
        <translation>
            <numerusform>%n 个问题：草稿不能保存</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) not saved yet</source>
        <translation>
            <numerusform>%n 处修改尚未保存</numerusform>
        </translation>
    </message>
    <message>
        <source>Revision %1 in force</source>
        <translation>当前生效版本 %1</translation>
    </message>
    <message numerus="yes">
        <source>Workflow rules saved (%n change(s)).</source>
        <translation>
            <numerusform>流程配置已保存（%n 处修改）。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>First start of a center</source>
        <translation>新中心首次配置</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>GridStation — Sign in</source>
        <translation>GridStation — 登录</translation>
    </message>
    <message>
        <source>GridStation command center</source>
        <translation>GridStation 指挥中心</translation>
    </message>
    <message>
        <source>Digital urban management · sign in to your workstation</source>
        <translation>数字化城市管理 · 登录您的工作站</translation>
    </message>
    <message>
        <source>user name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Add a shared PostgreSQL database</source>
        <translation>添加共享的 PostgreSQL 数据库</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>This computer has no city yet. Build the embedded demo city (Zhengzhou, 1,600 grids, six months of cases, about half a minute)?</source>
        <translation>本机尚无城市数据。是否构建内置演示城市（郑州，1600 个网格，六个月的案件，约需半分钟）？</translation>
    </message>
    <message>
        <source>Build demo city</source>
        <translation>构建演示城市</translation>
    </message>
    <message>
        <source>Demo city: sign in as dispatch1, shift1, intake1, sup001 or leader; the password is demo.</source>
        <translation>演示城市：可用 dispatch1、shift1、intake1、sup001 或 leader 登录，密码为 demo。</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Sign in</source>
        <extracomment>the first look at the chosen database has finished (state, detail): for tests and tools</extracomment>
        <translation>登录</translation>
    </message>
    <message>
        <source>This computer (embedded database)</source>
        <translation>本机（内置数据库）</translation>
    </message>
    <message>
        <source>Add database</source>
        <translation>添加数据库</translation>
    </message>
    <message>
        <source>PostgreSQL address, e.g. postgresql://user@server:5432/gridstation</source>
        <translation>PostgreSQL 地址，例如 postgresql://user@server:5432/gridstation</translation>
    </message>
    <message>
        <source>That is not a database address.</source>
        <translation>这不是有效的数据库地址。</translation>
    </message>
    <message>
        <source>The password was not saved: this computer has no credential store. Type the address with the password again next time, or put the password in PostgreSQL&apos;s pgpass file.</source>
        <translation>密码未保存：本机没有凭据存储。下次请重新输入带密码的地址，或把密码写入 PostgreSQL 的 pgpass 文件。</translation>
    </message>
    <message>
        <source>Connecting to the database…</source>
        <translation>正在连接数据库…</translation>
    </message>
    <message>
        <source>The database cannot be reached: %1
Check the network or choose another database above, then try again.</source>
        <translation>无法连接数据库：%1
请检查网络，或在上方选择其他数据库，然后重试。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>GridStation — first start</source>
        <translation>GridStation — 首次启动</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Building the demo city (Zhengzhou, 1,600 grids, six months of cases)…</source>
        <translation>正在生成演示城市（郑州，1600 个单元网格，六个月的案件）…</translation>
    </message>
    <message>
        <source>The demo city was not built. Build it when you like with the button above.</source>
        <translation>演示城市未生成。可随时点击上方按钮生成。</translation>
    </message>
    <message>
        <source>Could not build the demo city: %1</source>
        <translation>无法构建演示城市：%1</translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Unknown user or wrong password.</source>
        <translation>用户名不存在或密码错误。</translation>
    </message>
    <message>
        <source>Cannot open the database: %1</source>
        <translation>无法打开数据库：%1</translation>
    </message>
</context>
<context>
    <name>Source</name>
    <message>
        <source>Supervisor</source>
        <translation>监督员</translation>
    </message>
    <message>
        <source>Hotline</source>
        <translation>热线</translation>
    </message>
    <message>
        <source>Public</source>
        <translation>公众举报</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>视频监控</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>Starting GridStation…</source>
        <translation>GridStation 正在启动…</translation>
    </message>
</context>
<context>
    <name>State</name>
    <message>
        <source>To verify</source>
        <translation>待核实</translation>
    </message>
    <message>
        <source>To file</source>
        <translation>待立案</translation>
    </message>
    <message>
        <source>To dispatch</source>
        <translation>待派遣</translation>
    </message>
    <message>
        <source>Handling</source>
        <translation>处置中</translation>
    </message>
    <message>
        <source>Parked</source>
        <translation>挂账中</translation>
    </message>
    <message>
        <source>To re-check</source>
        <translation>待核查</translation>
    </message>
    <message>
        <source>To close</source>
        <translation>待结案</translation>
    </message>
    <message>
        <source>Self-handled, to review</source>
        <translation>自处理待审核</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>已作废</translation>
    </message>
</context>
<context>
    <name>StepPage</name>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
</context>
<context>
    <name>SupervisorForm</name>
    <message>
        <source>optional: what to look at on site</source>
        <translation>选填：现场需查看的内容</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>监督员</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>no active supervisor patrols this grid</source>
        <translation>该网格没有在岗监督员</translation>
    </message>
    <message>
        <source>Choose a supervisor</source>
        <translation>请选择监督员</translation>
    </message>
</context>
<context>
    <name>TargetDialog</name>
    <message>
        <source>Give the grids new codes of the target community</source>
        <translation>按目标社区为网格重新编码</translation>
    </message>
    <message>
        <source>Into</source>
        <translation>移至</translation>
    </message>
    <message>
        <source>From</source>
        <translation>生效日期</translation>
    </message>
</context>
<context>
    <name>TextForm</name>
    <message>
        <source>Urging</source>
        <translation>督办意见</translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation>督办意见</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>What should happen, by when</source>
        <translation>应如何处理、何时完成</translation>
    </message>
    <message>
        <source>What has been done, and when it will be finished</source>
        <translation>已采取的措施及预计完成时间</translation>
    </message>
</context>
<context>
    <name>TickerPanel</name>
    <message>
        <source>New and overdue cases</source>
        <translation>新案件与超时案件</translation>
    </message>
    <message>
        <source>No new cases yet</source>
        <translation>暂无新案件</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新案</translation>
    </message>
</context>
<context>
    <name>Time</name>
    <message>
        <source>d</source>
        <translation>天</translation>
    </message>
    <message>
        <source>h</source>
        <translation>小时</translation>
    </message>
    <message>
        <source>m</source>
        <translation>分</translation>
    </message>
</context>
<context>
    <name>TrendPanel</name>
    <message>
        <source>Reported and closed, by day</source>
        <translation>每日上报与结案</translation>
    </message>
    <message>
        <source>Reported</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>today so far: %1 reported, %2 closed</source>
        <translation>今日 上报 %1 · 结案 %2</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Accounts are disabled, never deleted: cases keep naming the people who worked on them.</source>
        <translation>账号只能停用，不能删除：案件中仍保留经办人员的姓名。</translation>
    </message>
    <message>
        <source>Filter by login, name, position, region or department</source>
        <translation>按登录名、姓名、岗位、区域或部门筛选</translation>
    </message>
    <message>
        <source>Show disabled</source>
        <translation>显示已停用</translation>
    </message>
    <message>
        <source>New user…</source>
        <translation>新增用户…</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>登录名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>— the whole city —</source>
        <translation>— 全市 —</translation>
    </message>
    <message>
        <source>— none —</source>
        <translation>— 无 —</translation>
    </message>
    <message>
        <source>Scope region</source>
        <translation>管辖区域</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>The scope region limits what the user sees and may act on (a street dispatcher: their street; a supervisor: the grids they patrol). Department handlers need their department.</source>
        <translation>管辖区域限定用户可查看和操作的范围（街道派遣员：所在街道；监督员：所巡查的网格）。部门处置员须指定所属部门。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>User %1</source>
        <translation>用户 %1</translation>
    </message>
    <message>
        <source>disabled: cannot sign in</source>
        <translation>已停用：无法登录</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>You cannot disable your own account</source>
        <translation>不能停用自己的账号</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>新增用户</translation>
    </message>
    <message>
        <source>a temporary password is made when you save</source>
        <translation>保存时将生成临时密码</translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation>已新增 %1。</translation>
    </message>
    <message>
        <source>Enabled %1.</source>
        <translation>已启用 %1。</translation>
    </message>
    <message>
        <source>Disabled %1.</source>
        <translation>已停用 %1。</translation>
    </message>
    <message>
        <source>Disable %1? The account can no longer sign in or act; its history stays.</source>
        <translation>停用 %1？该账号将无法登录或操作；其历史记录保留。</translation>
    </message>
    <message>
        <source>Disable user</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <source>Give %1 a new temporary password? The current password stops working at once.</source>
        <translation>为 %1 生成新的临时密码？当前密码将立即失效。</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
</context>
<context>
    <name>Wall</name>
    <message>
        <source>Urban management command center</source>
        <translation>数字化城市管理监督指挥中心</translation>
    </message>
    <message>
        <source>Connecting to the database…</source>
        <translation>正在连接数据库…</translation>
    </message>
    <message>
        <source>Cannot sign in to the database: %1
Trying again every %2 s.</source>
        <translation>无法登录数据库：%1
每 %2 秒自动重试。</translation>
    </message>
    <message>
        <source>%1 urban management command center</source>
        <translation>%1数字化城市管理监督指挥中心</translation>
    </message>
</context>
<context>
    <name>WallLaunchDialog</name>
    <message>
        <source>Open the wall display</source>
        <translation>打开指挥大屏</translation>
    </message>
    <message>
        <source>Screen %1: %2 (%3×%4)</source>
        <translation>屏幕 %1：%2（%3×%4）</translation>
    </message>
    <message>
        <source>Screen</source>
        <translation>屏幕</translation>
    </message>
    <message>
        <source>Use every screen (one window per screen of the layout)</source>
        <translation>使用全部屏幕（布局中每块屏幕一个窗口）</translation>
    </message>
    <message>
        <source>built-in layout</source>
        <translation>内置布局</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Layout file</source>
        <translation>布局文件</translation>
    </message>
    <message>
        <source>Wall account</source>
        <translation>大屏账号</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>The wall signs in with a read-only account (position “wall”). It runs on its own until it is closed (Alt+F4 on its screen).</source>
        <translation>大屏使用只读账号（岗位“大屏”）登录，启动后独立运行，直到在其屏幕上关闭（Alt+F4）。</translation>
    </message>
    <message>
        <source>Start the wall</source>
        <translation>启动大屏</translation>
    </message>
    <message>
        <source>Wall layout (*.toml)</source>
        <translation>大屏布局 (*.toml)</translation>
    </message>
    <message>
        <source>The wall could not be started: %1</source>
        <translation>无法启动大屏：%1</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <source>Monday</source>
        <translation>星期一</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>星期二</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>星期三</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>星期四</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>星期五</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>星期六</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>星期日</translation>
    </message>
    <message>
        <source>STALE: the database has not answered since %1; showing data as of %2; reconnecting…</source>
        <translation>数据已过时：数据库自 %1 起无响应，显示的是 %2 的数据，正在自动重连…</translation>
    </message>
    <message>
        <source>Data as of %1</source>
        <translation>数据截至 %1</translation>
    </message>
</context>
<context>
    <name>WarningsPanel</name>
    <message>
        <source>Early warnings today</source>
        <translation>今日预警</translation>
    </message>
    <message>
        <source>No surge or bounced case today</source>
        <translation>今日无激增、无反复派遣案件</translation>
    </message>
    <message>
        <source>Bounced</source>
        <translation>反复派遣</translation>
    </message>
    <message numerus="yes">
        <source>%n departments</source>
        <translation>
            <numerusform>%n 个部门</numerusform>
        </translation>
    </message>
    <message>
        <source>Grid surge</source>
        <translation>网格激增</translation>
    </message>
    <message>
        <source>Category surge</source>
        <translation>类别激增</translation>
    </message>
    <message>
        <source>%1 (usually %2)</source>
        <translation>%1（常值 %2）</translation>
    </message>
    <message numerus="yes">
        <source>%n warnings</source>
        <translation>
            <numerusform>%n 条预警</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WeeklyReview</name>
    <message>
        <source>Weekly review · %1 · %2</source>
        <translation>周报 · %1 · %2</translation>
    </message>
    <message>
        <source>Save PDF…</source>
        <translation>保存 PDF…</translation>
    </message>
    <message>
        <source>Save weekly review</source>
        <translation>保存周报</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1天%2小时</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1小时</translation>
    </message>
    <message>
        <source>%1 pp</source>
        <translation>%1 个百分点</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>Reported</source>
        <extracomment>headline figures: (attribute, label, formatter, higher is better: True/False/None = neutral)</extracomment>
        <translation>上报</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>On-time closure rate (%)</source>
        <translation>按时结案率（%）</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>Previous week</source>
        <translation>上周</translation>
    </message>
    <message>
        <source>Filed</source>
        <translation>立案</translation>
    </message>
    <message>
        <source>Closure rate</source>
        <translation>结案率</translation>
    </message>
    <message>
        <source>On-time closure rate</source>
        <translation>按时结案率</translation>
    </message>
    <message>
        <source>Avg. time to close (h)</source>
        <translation>平均结案用时（小时）</translation>
    </message>
    <message>
        <source>Public-report share</source>
        <translation>公众举报占比</translation>
    </message>
    <message>
        <source>Reworks</source>
        <translation>返工次数</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>回退次数</translation>
    </message>
    <message>
        <source>Overdue now</source>
        <translation>当前超时</translation>
    </message>
    <message>
        <source>prev. week: %1</source>
        <translation>上周：%1</translation>
    </message>
    <message>
        <source>at %1</source>
        <translation>截至 %1</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>案件数</translation>
    </message>
    <message>
        <source>On-time rate</source>
        <translation>按时结案率</translation>
    </message>
    <message>
        <source>Public share</source>
        <translation>公众举报占比</translation>
    </message>
    <message>
        <source>No streets to rank.</source>
        <translation>没有可排名的街道。</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Cases due</source>
        <translation>应处置数</translation>
    </message>
    <message>
        <source>On-time handling</source>
        <translation>按期处置率</translation>
    </message>
    <message>
        <source>Rework rate</source>
        <translation>返工率</translation>
    </message>
    <message>
        <source>No department had cases due this week.</source>
        <translation>本周没有部门有应处置的案件。</translation>
    </message>
    <message>
        <source>%1 departments had no cases due this week and are not ranked.</source>
        <translation>%1 个部门本周无应处置案件，未参与排名。</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期时间</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Urged</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>Bounces</source>
        <translation>推诿次数</translation>
    </message>
    <message>
        <source>Unusual numbers of reports by grid</source>
        <translation>网格上报量异常</translation>
    </message>
    <message>
        <source>Unusual numbers of reports by category</source>
        <translation>类别上报量异常</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>上报数</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>预期</translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation>倍数</translation>
    </message>
    <message>
        <source>Cases bounced between departments</source>
        <translation>部门间推诿案件</translation>
    </message>
    <message>
        <source>Dispatch chain</source>
        <translation>派遣经过</translation>
    </message>
    <message>
        <source>Near a boundary</source>
        <translation>临近边界</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No early warnings this week: no grid or category had an unusual number of reports, and no case bounced between departments.</source>
        <translation>本周无预警：没有网格或类别上报量异常，也没有案件在部门间推诿。</translation>
    </message>
    <message>
        <source>Rule: %1</source>
        <translation>规则：%1</translation>
    </message>
    <message>
        <source>Weekly review of urban management</source>
        <translation>城市管理周报</translation>
    </message>
    <message>
        <source>Week %1 · %2 to %3</source>
        <translation>第 %1 周 · %2 至 %3</translation>
    </message>
    <message>
        <source>Compared with the week before (%1). Figures count the cases reported in the week; closures and on-time rates are those of these cases.</source>
        <translation>与上周（%1）对比。数据统计本周上报的案件；结案数和按时率均指这些案件。</translation>
    </message>
    <message>
        <source>Headline figures</source>
        <translation>主要指标</translation>
    </message>
    <message>
        <source>Reported and closed, day by day</source>
        <translation>每日上报与结案</translation>
    </message>
    <message>
        <source>Reported: cases reported that day. Closed: cases closed that day, whenever they were reported.</source>
        <translation>上报：当日上报的案件。结案：当日结案的案件，无论何时上报。</translation>
    </message>
    <message>
        <source>On-time closure rate, last 8 weeks</source>
        <translation>近 8 周按时结案率</translation>
    </message>
    <message>
        <source>Top problems</source>
        <translation>高发问题</translation>
    </message>
    <message>
        <source>No cases were reported this week.</source>
        <translation>本周没有上报案件。</translation>
    </message>
    <message>
        <source>Top grids</source>
        <translation>高发网格</translation>
    </message>
    <message>
        <source>Grid code</source>
        <translation>网格编码</translation>
    </message>
    <message>
        <source>Ranking of streets</source>
        <translation>街道排名</translation>
    </message>
    <message>
        <source>Ranking of departments</source>
        <translation>部门排名</translation>
    </message>
    <message>
        <source>Scores and grades follow the comprehensive evaluation (A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E &lt; 40).</source>
        <translation>得分和等级依照综合评价标准（A ≥ 90，B ≥ 75，C ≥ 60，D ≥ 40，E &lt; 40）。</translation>
    </message>
    <message>
        <source>Early warnings</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Overdue cases (%1)</source>
        <translation>超时案件（%1）</translation>
    </message>
    <message>
        <source>No case is overdue.</source>
        <translation>没有超时案件。</translation>
    </message>
    <message>
        <source>Parked cases (%1)</source>
        <translation>挂账案件（%1）</translation>
    </message>
    <message>
        <source>No case is parked.</source>
        <translation>没有挂账案件。</translation>
    </message>
    <message>
        <source>Notable cases</source>
        <translation>重点案件</translation>
    </message>
    <message>
        <source>Most urged this week</source>
        <translation>本周督办最多</translation>
    </message>
    <message>
        <source>Most bounced between departments</source>
        <translation>部门间推诿最多</translation>
    </message>
    <message>
        <source>Longest overdue</source>
        <translation>超时最久</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>无。</translation>
    </message>
    <message>
        <source>Generated %1 by GridStation · data as of %2</source>
        <translation>由 GridStation 于 %1 生成 · 数据截至 %2</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>第 %1 页，共 %2 页</translation>
    </message>
    <message>
        <source>the longest %1 of %2</source>
        <translation>共 %2 件，列出时间最长的 %1 件</translation>
    </message>
</context>
</TS>
