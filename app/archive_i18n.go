package main

// The strings of the hosted archive, kept beside its code (as
// search_i18n.go does) while i18n.go is edited by others.

// archiveMsg names one archive string.
type archiveMsg int

const (
	msgArchive archiveMsg = iota
	msgImported
	msgOrigin
	msgAllOrigins
	msgHostedNoDelete
	msgFromArchive
	msgKeepTitle
	msgKeepHelp
	msgKeepSize
	msgKeepButton
	msgKeepResume
	msgKeepCancel
	msgKeepRunning
	msgKeepDone
	msgKeepFailed
	msgKeepCancelled
	msgArchiveArticles
)

// archiveMessages holds every archive string in English and Chinese.
var archiveMessages = [...]struct{ en, zh string }{
	msgArchive:         {"Archive", "文库"},
	msgImported:        {"Imported", "已导入"},
	msgOrigin:          {"From", "来自"},
	msgAllOrigins:      {"Everywhere", "全部来源"},
	msgHostedNoDelete:  {"Part of the hosted archive: it cannot be deleted here", "属于在线文库，不能在此删除"},
	msgFromArchive:     {"From the archive %s", "来自文库 %s"},
	msgKeepTitle:       {"Hosted archive: %s", "网站文库：%s"},
	msgKeepHelp:        {"Articles you read stay available offline. Keep the whole archive to read and search all of it without a network.", "读过的文章可离线阅读。保存整个文库后，无网络也能阅读和搜索全部文章。"},
	msgKeepSize:        {"%s of %s kept offline", "已离线保存 %s / %s"},
	msgKeepButton:      {"Keep the whole archive offline", "离线保存整个文库"},
	msgKeepResume:      {"Resume keeping it offline", "继续离线保存"},
	msgKeepCancel:      {"Stop", "停止"},
	msgKeepRunning:     {"Downloading…", "正在下载…"},
	msgKeepDone:        {"The whole archive is kept offline.", "整个文库已离线保存。"},
	msgKeepFailed:      {"Keeping the archive failed:", "离线保存失败："},
	msgKeepCancelled:   {"Stopped; resume any time.", "已停止，可随时继续。"},
	msgArchiveArticles: {"%d articles", "%d 篇文章"},
}

// TA returns the archive string for key in the user interface language.
func TA(key archiveMsg) string {
	m := archiveMessages[key]
	if uiLang == "zh" {
		return m.zh
	}
	return m.en
}
