#!/usr/bin/env node
console.error('ai-chat-server: not implemented yet');
process.exitCode = 1;
