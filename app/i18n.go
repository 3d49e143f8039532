package main

import "strings"

// uiLang is the user interface language: "zh" or "en". It is chosen once
// at start from the browser's languages (natively it stays "en").
var uiLang = "en"

// msgKey names one user interface string.
type msgKey int

// The user interface strings. Each has one entry in messages.
const (
	msgAppName msgKey = iota
	msgTagline
	msgOpenFiles
	msgOpenFolder
	msgDropHint
	msgImporting
	msgImportDone
	msgImportCancelled
	msgCancel
	msgNotImported
	msgLibrary
	msgLoading
	msgArticles
	msgEmptyTitle
	msgEmptyHelp
	msgAllSources
	msgAllAuthors
	msgAllYears
	msgSource
	msgAuthor
	msgYear
	msgDeleteSelected
	msgDelete
	msgConfirmDelete
	msgSelect
	msgPrevPage
	msgNextPage
	msgPageOf
	msgBackToLibrary
	msgPrevArticle
	msgNextArticle
	msgOriginal
	msgOriginalLanguage
	msgTranslator
	msgNotFound
	msgLoadFailed
	msgStorageError
	msgUntitled
	msgErrorsCount
	msgDismiss
	msgKeyboardHint
	msgFilters
	msgErrQuota
	msgErrBlocked
	msgErrClosed
	msgErrVersion
	msgErrStorage
	msgUnreadable
	msgStatusRunning
	msgUnchangedCount
	msgUpdateReady
	msgReload
	msgStoragePanel
	msgStorageUsage
	msgStorageUnknown
	msgStoragePersistent
	msgStorageBestEffort
	msgExportHelp
	msgExportLibrary
	msgExporting
	msgExported
	msgExportFailed
	msgVersion
)

// messages holds every string in English and Chinese, indexed by msgKey.
var messages = [...]struct{ en, zh string }{
	msgAppName:           {"Broadsheet", "Broadsheet 报刊"},
	msgTagline:           {"Your saved news articles, read offline in the browser.", "在浏览器里离线阅读您保存的新闻文章。"},
	msgOpenFiles:         {"Open files", "打开文件"},
	msgOpenFolder:        {"Open a folder", "打开文件夹"},
	msgDropHint:          {"or drop files, folders and .zip archives anywhere on this page", "或把文件、文件夹、.zip 压缩包拖到本页任意位置"},
	msgImporting:         {"Importing…", "正在导入…"},
	msgImportDone:        {"Import finished", "导入完成"},
	msgImportCancelled:   {"Import cancelled", "导入已取消"},
	msgCancel:            {"Cancel", "取消"},
	msgNotImported:       {"Files not imported", "未导入的文件"},
	msgLibrary:           {"Library", "文库"},
	msgLoading:           {"Loading…", "正在加载…"},
	msgArticles:          {"articles", "篇文章"},
	msgEmptyTitle:        {"Your library is empty", "文库还是空的"},
	msgEmptyHelp:         {"Open article files (.md, .txt, .html), a whole folder, or a .zip archive with the buttons above, or drop them on this page. They are read on this device and kept in this browser; nothing is uploaded.", "用上面的按钮打开文章文件（.md、.txt、.html）、整个文件夹或 .zip 压缩包，也可以直接拖到本页。文件只在本机读取并保存在这个浏览器里，不会上传。"},
	msgAllSources:        {"All sources", "全部来源"},
	msgAllAuthors:        {"All authors", "全部作者"},
	msgAllYears:          {"All years", "全部年份"},
	msgSource:            {"Source", "来源"},
	msgAuthor:            {"Author", "作者"},
	msgYear:              {"Year", "年份"},
	msgDeleteSelected:    {"Delete selected", "删除所选"},
	msgDelete:            {"Delete", "删除"},
	msgConfirmDelete:     {"Delete %d article(s) from this browser? This cannot be undone.", "从本浏览器删除 %d 篇文章？此操作无法撤销。"},
	msgSelect:            {"Select", "选择"},
	msgPrevPage:          {"Previous page", "上一页"},
	msgNextPage:          {"Next page", "下一页"},
	msgPageOf:            {"Page %d of %d", "第 %d 页，共 %d 页"},
	msgBackToLibrary:     {"Library", "返回文库"},
	msgPrevArticle:       {"Previous article", "上一篇"},
	msgNextArticle:       {"Next article", "下一篇"},
	msgOriginal:          {"Read the original", "阅读原文"},
	msgOriginalLanguage:  {"Original-language version", "原文版本"},
	msgTranslator:        {"Translated by %s", "翻译：%s"},
	msgNotFound:          {"This article is not in your library.", "文库中没有这篇文章。"},
	msgLoadFailed:        {"The article could not be loaded.", "无法加载这篇文章。"},
	msgStorageError:      {"Storage problem", "存储出错"},
	msgUntitled:          {"(untitled)", "（无标题）"},
	msgErrorsCount:       {"%d not imported", "%d 个未导入"},
	msgDismiss:           {"Dismiss", "关闭"},
	msgKeyboardHint:      {"Tip: Tab moves between articles; in the reader, links take you to the previous and next article.", "提示：按 Tab 键在文章之间移动；阅读时可用页面上的链接转到上一篇或下一篇。"},
	msgFilters:           {"Filters", "筛选"},
	msgErrQuota:          {"This browser has no more room for the library. Delete some articles or free space, then try again. Nothing already stored was lost.", "浏览器给本站的存储空间已满。请删除一些文章或释放空间后再试。已保存的内容没有丢失。"},
	msgErrBlocked:        {"Broadsheet is open in another tab with an older version. Close the other tabs and reload this page.", "Broadsheet 正在另一个标签页中以旧版本打开。请关闭其他标签页后重新加载本页。"},
	msgErrClosed:         {"The connection to the library was closed (perhaps by another tab). Reload the page to continue.", "与文库的连接已关闭（可能是另一个标签页所致）。请重新加载本页。"},
	msgErrVersion:        {"This library was saved by a newer version of Broadsheet. Reload the page to get the newest version.", "这个文库由更新版本的 Broadsheet 保存。请重新加载本页以获取最新版本。"},
	msgErrStorage:        {"The library could not be read or saved", "无法读取或保存文库"},
	msgUnreadable:        {"the file could not be read", "无法读取此文件"},
	msgStatusRunning:     {"%d of %d files", "%d / %d 个文件"},
	msgUnchangedCount:    {"%d already in the library", "%d 篇已在文库中"},
	msgUpdateReady:       {"A new version of Broadsheet is ready.", "Broadsheet 有新版本。"},
	msgReload:            {"Reload", "重新加载"},
	msgStoragePanel:      {"Storage and backup", "存储与备份"},
	msgStorageUsage:      {"%s used of %s available to this site", "已用 %s，本站可用 %s"},
	msgStorageUnknown:    {"This browser does not say how much storage is used.", "此浏览器不提供存储用量。"},
	msgStoragePersistent: {"kept until you delete it", "浏览器会一直保留"},
	msgStorageBestEffort: {"the browser may clear it when space runs low", "空间不足时浏览器可能清除"},
	msgExportHelp:        {"Your library lives only in this browser. Export it as a .zip of the original files; open that .zip here (or in another browser) to bring it back.", "文库只保存在这个浏览器里。可以把它导出为包含原始文件的 .zip，之后在这里（或其他浏览器）打开该 .zip 即可恢复。"},
	msgExportLibrary:     {"Export the library (.zip)", "导出文库（.zip）"},
	msgExporting:         {"Exporting…", "正在导出…"},
	msgExported:          {"%d files saved to %s", "已将 %d 个文件保存到 %s"},
	msgExportFailed:      {"The export failed.", "导出失败。"},
	msgVersion:           {"Version", "版本"},
}

// T returns the string for key in the user interface language.
func T(key msgKey) string {
	m := messages[key]
	if uiLang == "zh" {
		return m.zh
	}
	return m.en
}

// chooseLang picks the user interface language from the browser's
// preferred languages (navigator.languages, most preferred first): the
// first that is Chinese or English wins; anything else gives English.
func chooseLang(prefs []string) string {
	for _, p := range prefs {
		p = strings.ToLower(strings.TrimSpace(p))
		switch {
		case p == "zh" || strings.HasPrefix(p, "zh-"):
			return "zh"
		case p == "en" || strings.HasPrefix(p, "en-"):
			return "en"
		}
	}
	return "en"
}
