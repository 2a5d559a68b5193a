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
        <source>Unexpected error: %1</source>
        <translation>意外错误：%1</translation>
    </message>
    <message>
        <source>%1 was not done</source>
        <translation>%1失败</translation>
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
    <name>Errors</name>
    <message>
        <source>Case %1 was changed by %2 at %3 after you opened it. Your change was not applied; the case has been reloaded, please decide again.</source>
        <translation>案件 %1 在您打开后已被 %2 于 %3 修改。您的操作未生效；案件已重新加载，请重新处理。</translation>
    </message>
    <message>
        <source>another user</source>
        <translation>其他用户</translation>
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
        <source>It no longer exists (%1). Refresh and try again.</source>
        <translation>对象已不存在（%1）。请刷新后重试。</translation>
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
        <source>Unexpected error: %1</source>
        <translation>意外错误：%1</translation>
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
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
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
        <source>Sign in</source>
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
        <source>Building the demo city…</source>
        <translation>正在构建演示城市…</translation>
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
</TS>
