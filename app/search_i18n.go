package main

// The search strings, kept beside the search code while i18n.go is
// edited by others; T's table may absorb them later.

// searchMsg names one search string.
type searchMsg int

const (
	msgSearch searchMsg = iota
	msgSearchPlaceholder
	msgSearchResults
	msgSearchTook
	msgSearchNone
	msgSearching
	msgSortBy
	msgSortRelevance
	msgSortDate
	msgSearchFailed
	msgSearchAbout
)

// searchMessages holds every search string in English and Chinese.
var searchMessages = [...]struct{ en, zh string }{
	msgSearch:            {"Search", "搜索"},
	msgSearchPlaceholder: {"Search articles", "搜索文章"},
	msgSearchResults:     {"Search results", "搜索结果"},
	msgSearchTook:        {"%s ms", "%s 毫秒"},
	msgSearchAbout:       {"about %d articles", "约 %d 篇文章"},
	msgSearchNone:        {"No article matches.", "没有匹配的文章。"},
	msgSearching:         {"Searching…", "正在搜索…"},
	msgSortBy:            {"Sort by", "排序"},
	msgSortRelevance:     {"Relevance", "相关度"},
	msgSortDate:          {"Date", "日期"},
	msgSearchFailed:      {"The search failed.", "搜索失败。"},
}

// TS returns the search string for key in the user interface language.
func TS(key searchMsg) string {
	m := searchMessages[key]
	if uiLang == "zh" {
		return m.zh
	}
	return m.en
}
