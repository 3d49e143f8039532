package main

import (
	"errors"
	"fmt"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

// reasons says in the interface language why a file was not imported,
// for the errors a user can meet; others fall back to library's words.
var reasons = []struct {
	err    error
	en, zh string
}{
	{parser.ErrEmpty, "the file is empty", "文件是空的"},
	{parser.ErrBinary, "not a text file", "不是文本文件"},
	{parser.ErrTooLarge, fmt.Sprintf("the file is too large (over %d MB)", parser.MaxSize>>20), fmt.Sprintf("文件太大（超过 %d MB）", parser.MaxSize>>20)},
	{parser.ErrNotArticle, "not a saved article", "不是保存的文章"},
	{parser.ErrEncoding, "the text encoding could not be read", "无法识别文本编码"},
	{library.ErrZip, "a damaged zip file or entry", "zip 文件或其中的条目已损坏"},
	{library.ErrUnreadable, "the file could not be read (moved, deleted or refused by the browser)", "无法读取此文件（已被移动、删除或浏览器拒绝读取）"},
	{library.ErrParser, "the file could not be read (an error in Broadsheet: please report it)", "无法读取此文件（Broadsheet 出错，请报告此问题）"},
	{store.ErrQuota, "the browser's storage for this site is full", "浏览器给本站的存储空间已满"},
	{store.ErrClosed, "the library was closed (reload the page)", "文库连接已关闭（请重新加载页面）"},
	{store.ErrBlocked, "the library is busy in another tab (close the other tabs of Broadsheet)", "文库正在另一个标签页中升级（请关闭 Broadsheet 的其他标签页）"},
	{store.ErrVersion, "the library was written by a newer Broadsheet (reload the page to update)", "文库由较新版本的 Broadsheet 写入（请重新加载页面以更新）"},
}

// failureReason is why r's file was not imported, in plain words.
func failureReason(r library.Result) string {
	for _, x := range reasons {
		if errors.Is(r.Err, x.err) {
			if uiLang == "zh" {
				return x.zh
			}
			return x.en
		}
	}
	return r.Reason()
}
