package main

import "github.com/broadsheet/broadsheet/app/searchworker/message"

// request and reply are the messages of app/searchworker/message.
type (
	request = message.Request
	reply   = message.Reply
)
