"""The prose of the campaign format reference: introduction, placeholders, named patterns and TOML pitfalls."""

INTRO = """# 活动配置文件格式（campaign.toml）

> 本文件由 `python scripts/campaign_reference.py` 根据程序读取配置时使用的格式定义（`routing/campaign_schema*.py`）生成，
> 请勿手工修改；格式定义增加了键而本文件未重新生成时，测试会失败。

一项通知（活动）就是一个配置文件：办公室及其收件邮箱、各类单位的报送去向、截止时间、需报送的材料（表格的列、检查规则、
下拉列表、表下的注）、成果统计、涉密检查用语和催报时点。下一项附有表格的通知，只需新写一个这样的文件，不需要改程序。

写好后先运行检查：

```
mailbot campaign check 文件夹或campaign.toml
```

检查会逐条列出错误及所在的文件、行和键，例如：

```
活动配置文件 config/campaign.toml 第107行，键 returns[3].unit_lable：未知的键“unit_lable”，是否应为“unit_label”？
```

键的位置写法：`returns[3]` 是第 3 个 `[[returns]]`，`rules[2]` 是该材料 rules 中的第 2 条（均从 1 数起）。
`mailbot doctor` 和服务启动时也做同样的检查：配置有误时服务不启动，报送单位不会收到关于配置错误的任何答复。
可用 `mailbot campaign new 文件夹` 生成新活动的配置草稿（可从通知所附的空白表格读取表头）。
"""

PLACEHOLDERS = """## 消息占位符

规则的 `message` 是告知报送单位的话，可以使用以下占位符（`{}` 括起）；规则中其他字符串参数（如 `{label}`、`{other}`、
`{minuend}`）也可使用，未知的占位符留空。不写 `message` 时使用下表的默认说法。

| 占位符 | 含义 |
|---|---|
| `{row}` | 数据行号（表头以下第几行，从 1 数起） |
| `{column}` | 问题所在列的列名 |
| `{value}` | 该单元格填写的内容 |
| `{count}` | exactly-one-ticked：划√的列数；set-consistency：列出的项数 |
| `{options}` | 可选的列或值 |
| `{expected}` | 应有的值（差值、项数） |
| `{other_value}` | compare：另一列填写的内容 |
| `{op_text}` | compare：关系的中文（不大于、小于……） |
| `{group}` | group-complete：已开始填写的列组 |
| `{sentinels}` | number：可代替数字填写的用语 |
| `{reason}` | required-if：规则的 reason |

下拉列表（列的 `choices`）、行数（`min_rows`、`max_rows`）和文件类型（`file_type`）的说法由系统给出，不需配置。
"""

NAMED_PATTERNS = """## 命名格式

规则 pattern 和联络人 fields 的 `pattern` 可写以下名称，代替正则表达式：

| 名称 | 含义 |
|---|---|
| `phone` | 手机号码，或座机号码（区号可省略，可带分机号），如 13912345678、0482-8267388、8267388 |
| `phone-strict` | 同 phone，但座机号码必须带区号（通知要求“座机须带区号”时使用），8267388 不符合 |
| `document-title` | 含书名号的文件名称，如《行政许可法》 |
| `document-number-or-clause` | 文号（如〔2022〕18号）或条款（如第四十二条） |
"""

PITFALLS = """## TOML 易错点

- **正则表达式用单引号。** 双引号字符串中反斜杠是转义符：`"\\d+"` 会报错或变成别的意思；写作 `'\\d+'`（单引号字符串原样保留）。
  含单引号的表达式用三个单引号：`'''it's'''`。
- **中文键名加引号。** `[routing."党群"]`、`{ "类别" = ... }`；不加引号的键只能由字母、数字、`_`、`-` 组成。
- **日期不加引号。** `date = 2023-01-04` 是日期；`date = "2023-01-04"` 是字符串，检查会指出“不是日期”。
- **电话号码、编号要加引号。** `phone = "0482-8267388"`；不加引号的 `0482` 不是合法的数。
- **内联表写在一行内。** `{ kind = "required", columns = ["事项名称"] }` 不能在花括号内换行；数组（方括号）可以换行，末尾可留逗号。
- **同一个键不能写两次**，同一个表头（如两个 `[offices.bianban]`）也不能出现两次。
- **`[[returns]]` 的顺序即材料的顺序**；写在某个 `[[returns]]` 之下的键都属于它，直到下一个表头。
- **引号样式不影响表头识别。** 列名写作 `“两优”事项`，报回表格中写 `"两优"事项`、`「两优」事项` 均可识别；但键和值中的
  中文引号“”只是普通字符，不会结束字符串。
- **true/false 小写**；全角等号“＝”、全角引号不能代替 `=`、`"`。
- 文件须为 UTF-8 编码。
"""
