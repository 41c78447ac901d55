#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 807:
/***/ ((module, exports, __nccwpck_require__) => {

(function (factory) {
    if ( true && typeof module.exports === "object") {
        var v = factory(__WEBPACK_EXTERNAL_createRequire(import.meta.url), exports);
        if (v !== undefined) module.exports = v;
    }
    else if (typeof define === "function" && define.amd) {
        define(["require", "exports", "./format", "./parser"], factory);
    }
})(function () {
    /*---------------------------------------------------------------------------------------------
     *  Copyright (c) Microsoft Corporation. All rights reserved.
     *  Licensed under the MIT License. See License.txt in the project root for license information.
     *--------------------------------------------------------------------------------------------*/
    'use strict';
    Object.defineProperty(exports, "__esModule", ({ value: true }));
    exports.isWS = exports.applyEdit = exports.setProperty = exports.removeProperty = void 0;
    const format_1 = __nccwpck_require__(612);
    const parser_1 = __nccwpck_require__(152);
    function removeProperty(text, path, options) {
        return setProperty(text, path, void 0, options);
    }
    exports.removeProperty = removeProperty;
    function setProperty(text, originalPath, value, options) {
        const path = originalPath.slice();
        const errors = [];
        const root = (0, parser_1.parseTree)(text, errors);
        let parent = void 0;
        let lastSegment = void 0;
        while (path.length > 0) {
            lastSegment = path.pop();
            parent = (0, parser_1.findNodeAtLocation)(root, path);
            if (parent === void 0 && value !== void 0) {
                if (typeof lastSegment === 'string') {
                    value = { [lastSegment]: value };
                }
                else {
                    value = [value];
                }
            }
            else {
                break;
            }
        }
        if (!parent) {
            // empty document
            if (value === void 0) { // delete
                throw new Error('Can not delete in empty document');
            }
            return withFormatting(text, { offset: root ? root.offset : 0, length: root ? root.length : 0, content: JSON.stringify(value) }, options);
        }
        else if (parent.type === 'object' && typeof lastSegment === 'string' && Array.isArray(parent.children)) {
            const existing = (0, parser_1.findNodeAtLocation)(parent, [lastSegment]);
            if (existing !== void 0) {
                if (value === void 0) { // delete
                    if (!existing.parent) {
                        throw new Error('Malformed AST');
                    }
                    const propertyIndex = parent.children.indexOf(existing.parent);
                    let removeBegin;
                    let removeEnd = existing.parent.offset + existing.parent.length;
                    if (propertyIndex > 0) {
                        // remove the comma of the previous node
                        let previous = parent.children[propertyIndex - 1];
                        removeBegin = previous.offset + previous.length;
                    }
                    else {
                        removeBegin = parent.offset + 1;
                        if (parent.children.length > 1) {
                            // remove the comma of the next node
                            let next = parent.children[1];
                            removeEnd = next.offset;
                        }
                    }
                    return withFormatting(text, { offset: removeBegin, length: removeEnd - removeBegin, content: '' }, options);
                }
                else {
                    // set value of existing property
                    return withFormatting(text, { offset: existing.offset, length: existing.length, content: JSON.stringify(value) }, options);
                }
            }
            else {
                if (value === void 0) { // delete
                    return []; // property does not exist, nothing to do
                }
                const newProperty = `${JSON.stringify(lastSegment)}: ${JSON.stringify(value)}`;
                const index = options.getInsertionIndex ? options.getInsertionIndex(parent.children.map(p => p.children[0].value)) : parent.children.length;
                let edit;
                if (index > 0) {
                    let previous = parent.children[index - 1];
                    edit = { offset: previous.offset + previous.length, length: 0, content: ',' + newProperty };
                }
                else if (parent.children.length === 0) {
                    edit = { offset: parent.offset + 1, length: 0, content: newProperty };
                }
                else {
                    edit = { offset: parent.offset + 1, length: 0, content: newProperty + ',' };
                }
                return withFormatting(text, edit, options);
            }
        }
        else if (parent.type === 'array' && typeof lastSegment === 'number' && Array.isArray(parent.children)) {
            const insertIndex = lastSegment;
            if (insertIndex === -1) {
                // Insert
                const newProperty = `${JSON.stringify(value)}`;
                let edit;
                if (parent.children.length === 0) {
                    edit = { offset: parent.offset + 1, length: 0, content: newProperty };
                }
                else {
                    const previous = parent.children[parent.children.length - 1];
                    edit = { offset: previous.offset + previous.length, length: 0, content: ',' + newProperty };
                }
                return withFormatting(text, edit, options);
            }
            else if (value === void 0 && parent.children.length >= 0) {
                // Removal
                const removalIndex = lastSegment;
                const toRemove = parent.children[removalIndex];
                let edit;
                if (parent.children.length === 1) {
                    // only item
                    edit = { offset: parent.offset + 1, length: parent.length - 2, content: '' };
                }
                else if (parent.children.length - 1 === removalIndex) {
                    // last item
                    let previous = parent.children[removalIndex - 1];
                    let offset = previous.offset + previous.length;
                    let parentEndOffset = parent.offset + parent.length;
                    edit = { offset, length: parentEndOffset - 2 - offset, content: '' };
                }
                else {
                    edit = { offset: toRemove.offset, length: parent.children[removalIndex + 1].offset - toRemove.offset, content: '' };
                }
                return withFormatting(text, edit, options);
            }
            else if (value !== void 0) {
                let edit;
                const newProperty = `${JSON.stringify(value)}`;
                if (!options.isArrayInsertion && parent.children.length > lastSegment) {
                    const toModify = parent.children[lastSegment];
                    edit = { offset: toModify.offset, length: toModify.length, content: newProperty };
                }
                else if (parent.children.length === 0 || lastSegment === 0) {
                    edit = { offset: parent.offset + 1, length: 0, content: parent.children.length === 0 ? newProperty : newProperty + ',' };
                }
                else {
                    const index = lastSegment > parent.children.length ? parent.children.length : lastSegment;
                    const previous = parent.children[index - 1];
                    edit = { offset: previous.offset + previous.length, length: 0, content: ',' + newProperty };
                }
                return withFormatting(text, edit, options);
            }
            else {
                throw new Error(`Can not ${value === void 0 ? 'remove' : (options.isArrayInsertion ? 'insert' : 'modify')} Array index ${insertIndex} as length is not sufficient`);
            }
        }
        else {
            throw new Error(`Can not add ${typeof lastSegment !== 'number' ? 'index' : 'property'} to parent of type ${parent.type}`);
        }
    }
    exports.setProperty = setProperty;
    function withFormatting(text, edit, options) {
        if (!options.formattingOptions) {
            return [edit];
        }
        // apply the edit
        let newText = applyEdit(text, edit);
        // format the new text
        let begin = edit.offset;
        let end = edit.offset + edit.content.length;
        if (edit.length === 0 || edit.content.length === 0) { // insert or remove
            while (begin > 0 && !(0, format_1.isEOL)(newText, begin - 1)) {
                begin--;
            }
            while (end < newText.length && !(0, format_1.isEOL)(newText, end)) {
                end++;
            }
        }
        const edits = (0, format_1.format)(newText, { offset: begin, length: end - begin }, { ...options.formattingOptions, keepLines: false });
        // apply the formatting edits and track the begin and end offsets of the changes
        for (let i = edits.length - 1; i >= 0; i--) {
            const edit = edits[i];
            newText = applyEdit(newText, edit);
            begin = Math.min(begin, edit.offset);
            end = Math.max(end, edit.offset + edit.length);
            end += edit.content.length - edit.length;
        }
        // create a single edit with all changes
        const editLength = text.length - (newText.length - end) - begin;
        return [{ offset: begin, length: editLength, content: newText.substring(begin, end) }];
    }
    function applyEdit(text, edit) {
        return text.substring(0, edit.offset) + edit.content + text.substring(edit.offset + edit.length);
    }
    exports.applyEdit = applyEdit;
    function isWS(text, offset) {
        return '\r\n \t'.indexOf(text.charAt(offset)) !== -1;
    }
    exports.isWS = isWS;
});


/***/ }),

/***/ 612:
/***/ ((module, exports, __nccwpck_require__) => {

(function (factory) {
    if ( true && typeof module.exports === "object") {
        var v = factory(__WEBPACK_EXTERNAL_createRequire(import.meta.url), exports);
        if (v !== undefined) module.exports = v;
    }
    else if (typeof define === "function" && define.amd) {
        define(["require", "exports", "./scanner", "./string-intern"], factory);
    }
})(function () {
    /*---------------------------------------------------------------------------------------------
     *  Copyright (c) Microsoft Corporation. All rights reserved.
     *  Licensed under the MIT License. See License.txt in the project root for license information.
     *--------------------------------------------------------------------------------------------*/
    'use strict';
    Object.defineProperty(exports, "__esModule", ({ value: true }));
    exports.isEOL = exports.format = void 0;
    const scanner_1 = __nccwpck_require__(525);
    const string_intern_1 = __nccwpck_require__(579);
    function format(documentText, range, options) {
        let initialIndentLevel;
        let formatText;
        let formatTextStart;
        let rangeStart;
        let rangeEnd;
        if (range) {
            rangeStart = range.offset;
            rangeEnd = rangeStart + range.length;
            formatTextStart = rangeStart;
            while (formatTextStart > 0 && !isEOL(documentText, formatTextStart - 1)) {
                formatTextStart--;
            }
            let endOffset = rangeEnd;
            while (endOffset < documentText.length && !isEOL(documentText, endOffset)) {
                endOffset++;
            }
            formatText = documentText.substring(formatTextStart, endOffset);
            initialIndentLevel = computeIndentLevel(formatText, options);
        }
        else {
            formatText = documentText;
            initialIndentLevel = 0;
            formatTextStart = 0;
            rangeStart = 0;
            rangeEnd = documentText.length;
        }
        const eol = getEOL(options, documentText);
        const eolFastPathSupported = string_intern_1.supportedEols.includes(eol);
        let numberLineBreaks = 0;
        let indentLevel = 0;
        let indentValue;
        if (options.insertSpaces) {
            indentValue = string_intern_1.cachedSpaces[options.tabSize || 4] ?? repeat(string_intern_1.cachedSpaces[1], options.tabSize || 4);
        }
        else {
            indentValue = '\t';
        }
        const indentType = indentValue === '\t' ? '\t' : ' ';
        let scanner = (0, scanner_1.createScanner)(formatText, false);
        let hasError = false;
        function newLinesAndIndent() {
            if (numberLineBreaks > 1) {
                return repeat(eol, numberLineBreaks) + repeat(indentValue, initialIndentLevel + indentLevel);
            }
            const amountOfSpaces = indentValue.length * (initialIndentLevel + indentLevel);
            if (!eolFastPathSupported || amountOfSpaces > string_intern_1.cachedBreakLinesWithSpaces[indentType][eol].length) {
                return eol + repeat(indentValue, initialIndentLevel + indentLevel);
            }
            if (amountOfSpaces <= 0) {
                return eol;
            }
            return string_intern_1.cachedBreakLinesWithSpaces[indentType][eol][amountOfSpaces];
        }
        function scanNext() {
            let token = scanner.scan();
            numberLineBreaks = 0;
            while (token === 15 /* SyntaxKind.Trivia */ || token === 14 /* SyntaxKind.LineBreakTrivia */) {
                if (token === 14 /* SyntaxKind.LineBreakTrivia */ && options.keepLines) {
                    numberLineBreaks += 1;
                }
                else if (token === 14 /* SyntaxKind.LineBreakTrivia */) {
                    numberLineBreaks = 1;
                }
                token = scanner.scan();
            }
            hasError = token === 16 /* SyntaxKind.Unknown */ || scanner.getTokenError() !== 0 /* ScanError.None */;
            return token;
        }
        const editOperations = [];
        function addEdit(text, startOffset, endOffset) {
            if (!hasError && (!range || (startOffset < rangeEnd && endOffset > rangeStart)) && documentText.substring(startOffset, endOffset) !== text) {
                editOperations.push({ offset: startOffset, length: endOffset - startOffset, content: text });
            }
        }
        let firstToken = scanNext();
        if (options.keepLines && numberLineBreaks > 0) {
            addEdit(repeat(eol, numberLineBreaks), 0, 0);
        }
        if (firstToken !== 17 /* SyntaxKind.EOF */) {
            let firstTokenStart = scanner.getTokenOffset() + formatTextStart;
            let initialIndent = (indentValue.length * initialIndentLevel < 20) && options.insertSpaces
                ? string_intern_1.cachedSpaces[indentValue.length * initialIndentLevel]
                : repeat(indentValue, initialIndentLevel);
            addEdit(initialIndent, formatTextStart, firstTokenStart);
        }
        while (firstToken !== 17 /* SyntaxKind.EOF */) {
            let firstTokenEnd = scanner.getTokenOffset() + scanner.getTokenLength() + formatTextStart;
            let secondToken = scanNext();
            let replaceContent = '';
            let needsLineBreak = false;
            while (numberLineBreaks === 0 && (secondToken === 12 /* SyntaxKind.LineCommentTrivia */ || secondToken === 13 /* SyntaxKind.BlockCommentTrivia */)) {
                let commentTokenStart = scanner.getTokenOffset() + formatTextStart;
                addEdit(string_intern_1.cachedSpaces[1], firstTokenEnd, commentTokenStart);
                firstTokenEnd = scanner.getTokenOffset() + scanner.getTokenLength() + formatTextStart;
                needsLineBreak = secondToken === 12 /* SyntaxKind.LineCommentTrivia */;
                replaceContent = needsLineBreak ? newLinesAndIndent() : '';
                secondToken = scanNext();
            }
            if (secondToken === 2 /* SyntaxKind.CloseBraceToken */) {
                if (firstToken !== 1 /* SyntaxKind.OpenBraceToken */) {
                    indentLevel--;
                }
                ;
                if (options.keepLines && numberLineBreaks > 0 || !options.keepLines && firstToken !== 1 /* SyntaxKind.OpenBraceToken */) {
                    replaceContent = newLinesAndIndent();
                }
                else if (options.keepLines) {
                    replaceContent = string_intern_1.cachedSpaces[1];
                }
            }
            else if (secondToken === 4 /* SyntaxKind.CloseBracketToken */) {
                if (firstToken !== 3 /* SyntaxKind.OpenBracketToken */) {
                    indentLevel--;
                }
                ;
                if (options.keepLines && numberLineBreaks > 0 || !options.keepLines && firstToken !== 3 /* SyntaxKind.OpenBracketToken */) {
                    replaceContent = newLinesAndIndent();
                }
                else if (options.keepLines) {
                    replaceContent = string_intern_1.cachedSpaces[1];
                }
            }
            else {
                switch (firstToken) {
                    case 3 /* SyntaxKind.OpenBracketToken */:
                    case 1 /* SyntaxKind.OpenBraceToken */:
                        indentLevel++;
                        if (options.keepLines && numberLineBreaks > 0 || !options.keepLines) {
                            replaceContent = newLinesAndIndent();
                        }
                        else {
                            replaceContent = string_intern_1.cachedSpaces[1];
                        }
                        break;
                    case 5 /* SyntaxKind.CommaToken */:
                        if (options.keepLines && numberLineBreaks > 0 || !options.keepLines) {
                            replaceContent = newLinesAndIndent();
                        }
                        else {
                            replaceContent = string_intern_1.cachedSpaces[1];
                        }
                        break;
                    case 12 /* SyntaxKind.LineCommentTrivia */:
                        replaceContent = newLinesAndIndent();
                        break;
                    case 13 /* SyntaxKind.BlockCommentTrivia */:
                        if (numberLineBreaks > 0) {
                            replaceContent = newLinesAndIndent();
                        }
                        else if (!needsLineBreak) {
                            replaceContent = string_intern_1.cachedSpaces[1];
                        }
                        break;
                    case 6 /* SyntaxKind.ColonToken */:
                        if (options.keepLines && numberLineBreaks > 0) {
                            replaceContent = newLinesAndIndent();
                        }
                        else if (!needsLineBreak) {
                            replaceContent = string_intern_1.cachedSpaces[1];
                        }
                        break;
                    case 10 /* SyntaxKind.StringLiteral */:
                        if (options.keepLines && numberLineBreaks > 0) {
                            replaceContent = newLinesAndIndent();
                        }
                        else if (secondToken === 6 /* SyntaxKind.ColonToken */ && !needsLineBreak) {
                            replaceContent = '';
                        }
                        break;
                    case 7 /* SyntaxKind.NullKeyword */:
                    case 8 /* SyntaxKind.TrueKeyword */:
                    case 9 /* SyntaxKind.FalseKeyword */:
                    case 11 /* SyntaxKind.NumericLiteral */:
                    case 2 /* SyntaxKind.CloseBraceToken */:
                    case 4 /* SyntaxKind.CloseBracketToken */:
                        if (options.keepLines && numberLineBreaks > 0) {
                            replaceContent = newLinesAndIndent();
                        }
                        else {
                            if ((secondToken === 12 /* SyntaxKind.LineCommentTrivia */ || secondToken === 13 /* SyntaxKind.BlockCommentTrivia */) && !needsLineBreak) {
                                replaceContent = string_intern_1.cachedSpaces[1];
                            }
                            else if (secondToken !== 5 /* SyntaxKind.CommaToken */ && secondToken !== 17 /* SyntaxKind.EOF */) {
                                hasError = true;
                            }
                        }
                        break;
                    case 16 /* SyntaxKind.Unknown */:
                        hasError = true;
                        break;
                }
                if (numberLineBreaks > 0 && (secondToken === 12 /* SyntaxKind.LineCommentTrivia */ || secondToken === 13 /* SyntaxKind.BlockCommentTrivia */)) {
                    replaceContent = newLinesAndIndent();
                }
            }
            if (secondToken === 17 /* SyntaxKind.EOF */) {
                if (options.keepLines && numberLineBreaks > 0) {
                    replaceContent = newLinesAndIndent();
                }
                else {
                    replaceContent = options.insertFinalNewline ? eol : '';
                }
            }
            const secondTokenStart = scanner.getTokenOffset() + formatTextStart;
            addEdit(replaceContent, firstTokenEnd, secondTokenStart);
            firstToken = secondToken;
        }
        return editOperations;
    }
    exports.format = format;
    function repeat(s, count) {
        let result = '';
        for (let i = 0; i < count; i++) {
            result += s;
        }
        return result;
    }
    function computeIndentLevel(content, options) {
        let i = 0;
        let nChars = 0;
        const tabSize = options.tabSize || 4;
        while (i < content.length) {
            let ch = content.charAt(i);
            if (ch === string_intern_1.cachedSpaces[1]) {
                nChars++;
            }
            else if (ch === '\t') {
                nChars += tabSize;
            }
            else {
                break;
            }
            i++;
        }
        return Math.floor(nChars / tabSize);
    }
    function getEOL(options, text) {
        for (let i = 0; i < text.length; i++) {
            const ch = text.charAt(i);
            if (ch === '\r') {
                if (i + 1 < text.length && text.charAt(i + 1) === '\n') {
                    return '\r\n';
                }
                return '\r';
            }
            else if (ch === '\n') {
                return '\n';
            }
        }
        return (options && options.eol) || '\n';
    }
    function isEOL(text, offset) {
        return '\r\n'.indexOf(text.charAt(offset)) !== -1;
    }
    exports.isEOL = isEOL;
});


/***/ }),

/***/ 152:
/***/ ((module, exports, __nccwpck_require__) => {

(function (factory) {
    if ( true && typeof module.exports === "object") {
        var v = factory(__WEBPACK_EXTERNAL_createRequire(import.meta.url), exports);
        if (v !== undefined) module.exports = v;
    }
    else if (typeof define === "function" && define.amd) {
        define(["require", "exports", "./scanner"], factory);
    }
})(function () {
    /*---------------------------------------------------------------------------------------------
     *  Copyright (c) Microsoft Corporation. All rights reserved.
     *  Licensed under the MIT License. See License.txt in the project root for license information.
     *--------------------------------------------------------------------------------------------*/
    'use strict';
    Object.defineProperty(exports, "__esModule", ({ value: true }));
    exports.getNodeType = exports.stripComments = exports.visit = exports.findNodeAtOffset = exports.contains = exports.getNodeValue = exports.getNodePath = exports.findNodeAtLocation = exports.parseTree = exports.parse = exports.getLocation = void 0;
    const scanner_1 = __nccwpck_require__(525);
    var ParseOptions;
    (function (ParseOptions) {
        ParseOptions.DEFAULT = {
            allowTrailingComma: false
        };
    })(ParseOptions || (ParseOptions = {}));
    /**
     * For a given offset, evaluate the location in the JSON document. Each segment in the location path is either a property name or an array index.
     */
    function getLocation(text, position) {
        const segments = []; // strings or numbers
        const earlyReturnException = new Object();
        let previousNode = undefined;
        const previousNodeInst = {
            value: {},
            offset: 0,
            length: 0,
            type: 'object',
            parent: undefined
        };
        let isAtPropertyKey = false;
        function setPreviousNode(value, offset, length, type) {
            previousNodeInst.value = value;
            previousNodeInst.offset = offset;
            previousNodeInst.length = length;
            previousNodeInst.type = type;
            previousNodeInst.colonOffset = undefined;
            previousNode = previousNodeInst;
        }
        try {
            visit(text, {
                onObjectBegin: (offset, length) => {
                    if (position <= offset) {
                        throw earlyReturnException;
                    }
                    previousNode = undefined;
                    isAtPropertyKey = position > offset;
                    segments.push(''); // push a placeholder (will be replaced)
                },
                onObjectProperty: (name, offset, length) => {
                    if (position < offset) {
                        throw earlyReturnException;
                    }
                    setPreviousNode(name, offset, length, 'property');
                    segments[segments.length - 1] = name;
                    if (position <= offset + length) {
                        throw earlyReturnException;
                    }
                },
                onObjectEnd: (offset, length) => {
                    if (position <= offset) {
                        throw earlyReturnException;
                    }
                    previousNode = undefined;
                    segments.pop();
                },
                onArrayBegin: (offset, length) => {
                    if (position <= offset) {
                        throw earlyReturnException;
                    }
                    previousNode = undefined;
                    segments.push(0);
                },
                onArrayEnd: (offset, length) => {
                    if (position <= offset) {
                        throw earlyReturnException;
                    }
                    previousNode = undefined;
                    segments.pop();
                },
                onLiteralValue: (value, offset, length) => {
                    if (position < offset) {
                        throw earlyReturnException;
                    }
                    setPreviousNode(value, offset, length, getNodeType(value));
                    if (position <= offset + length) {
                        throw earlyReturnException;
                    }
                },
                onSeparator: (sep, offset, length) => {
                    if (position <= offset) {
                        throw earlyReturnException;
                    }
                    if (sep === ':' && previousNode && previousNode.type === 'property') {
                        previousNode.colonOffset = offset;
                        isAtPropertyKey = false;
                        previousNode = undefined;
                    }
                    else if (sep === ',') {
                        const last = segments[segments.length - 1];
                        if (typeof last === 'number') {
                            segments[segments.length - 1] = last + 1;
                        }
                        else {
                            isAtPropertyKey = true;
                            segments[segments.length - 1] = '';
                        }
                        previousNode = undefined;
                    }
                }
            });
        }
        catch (e) {
            if (e !== earlyReturnException) {
                throw e;
            }
        }
        return {
            path: segments,
            previousNode,
            isAtPropertyKey,
            matches: (pattern) => {
                let k = 0;
                for (let i = 0; k < pattern.length && i < segments.length; i++) {
                    if (pattern[k] === segments[i] || pattern[k] === '*') {
                        k++;
                    }
                    else if (pattern[k] !== '**') {
                        return false;
                    }
                }
                return k === pattern.length;
            }
        };
    }
    exports.getLocation = getLocation;
    /**
     * Parses the given text and returns the object the JSON content represents. On invalid input, the parser tries to be as fault tolerant as possible, but still return a result.
     * Therefore always check the errors list to find out if the input was valid.
     */
    function parse(text, errors = [], options = ParseOptions.DEFAULT) {
        let currentProperty = null;
        let currentParent = [];
        const previousParents = [];
        function onValue(value) {
            if (Array.isArray(currentParent)) {
                currentParent.push(value);
            }
            else if (currentProperty !== null) {
                currentParent[currentProperty] = value;
            }
        }
        const visitor = {
            onObjectBegin: () => {
                const object = {};
                onValue(object);
                previousParents.push(currentParent);
                currentParent = object;
                currentProperty = null;
            },
            onObjectProperty: (name) => {
                currentProperty = name;
            },
            onObjectEnd: () => {
                currentParent = previousParents.pop();
            },
            onArrayBegin: () => {
                const array = [];
                onValue(array);
                previousParents.push(currentParent);
                currentParent = array;
                currentProperty = null;
            },
            onArrayEnd: () => {
                currentParent = previousParents.pop();
            },
            onLiteralValue: onValue,
            onError: (error, offset, length) => {
                errors.push({ error, offset, length });
            }
        };
        visit(text, visitor, options);
        return currentParent[0];
    }
    exports.parse = parse;
    /**
     * Parses the given text and returns a tree representation the JSON content. On invalid input, the parser tries to be as fault tolerant as possible, but still return a result.
     */
    function parseTree(text, errors = [], options = ParseOptions.DEFAULT) {
        let currentParent = { type: 'array', offset: -1, length: -1, children: [], parent: undefined }; // artificial root
        function ensurePropertyComplete(endOffset) {
            if (currentParent.type === 'property') {
                currentParent.length = endOffset - currentParent.offset;
                currentParent = currentParent.parent;
            }
        }
        function onValue(valueNode) {
            currentParent.children.push(valueNode);
            return valueNode;
        }
        const visitor = {
            onObjectBegin: (offset) => {
                currentParent = onValue({ type: 'object', offset, length: -1, parent: currentParent, children: [] });
            },
            onObjectProperty: (name, offset, length) => {
                currentParent = onValue({ type: 'property', offset, length: -1, parent: currentParent, children: [] });
                currentParent.children.push({ type: 'string', value: name, offset, length, parent: currentParent });
            },
            onObjectEnd: (offset, length) => {
                ensurePropertyComplete(offset + length); // in case of a missing value for a property: make sure property is complete
                currentParent.length = offset + length - currentParent.offset;
                currentParent = currentParent.parent;
                ensurePropertyComplete(offset + length);
            },
            onArrayBegin: (offset, length) => {
                currentParent = onValue({ type: 'array', offset, length: -1, parent: currentParent, children: [] });
            },
            onArrayEnd: (offset, length) => {
                currentParent.length = offset + length - currentParent.offset;
                currentParent = currentParent.parent;
                ensurePropertyComplete(offset + length);
            },
            onLiteralValue: (value, offset, length) => {
                onValue({ type: getNodeType(value), offset, length, parent: currentParent, value });
                ensurePropertyComplete(offset + length);
            },
            onSeparator: (sep, offset, length) => {
                if (currentParent.type === 'property') {
                    if (sep === ':') {
                        currentParent.colonOffset = offset;
                    }
                    else if (sep === ',') {
                        ensurePropertyComplete(offset);
                    }
                }
            },
            onError: (error, offset, length) => {
                errors.push({ error, offset, length });
            }
        };
        visit(text, visitor, options);
        const result = currentParent.children[0];
        if (result) {
            delete result.parent;
        }
        return result;
    }
    exports.parseTree = parseTree;
    /**
     * Finds the node at the given path in a JSON DOM.
     */
    function findNodeAtLocation(root, path) {
        if (!root) {
            return undefined;
        }
        let node = root;
        for (let segment of path) {
            if (typeof segment === 'string') {
                if (node.type !== 'object' || !Array.isArray(node.children)) {
                    return undefined;
                }
                let found = false;
                for (const propertyNode of node.children) {
                    if (Array.isArray(propertyNode.children) && propertyNode.children[0].value === segment && propertyNode.children.length === 2) {
                        node = propertyNode.children[1];
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    return undefined;
                }
            }
            else {
                const index = segment;
                if (node.type !== 'array' || index < 0 || !Array.isArray(node.children) || index >= node.children.length) {
                    return undefined;
                }
                node = node.children[index];
            }
        }
        return node;
    }
    exports.findNodeAtLocation = findNodeAtLocation;
    /**
     * Gets the JSON path of the given JSON DOM node
     */
    function getNodePath(node) {
        if (!node.parent || !node.parent.children) {
            return [];
        }
        const path = getNodePath(node.parent);
        if (node.parent.type === 'property') {
            const key = node.parent.children[0].value;
            path.push(key);
        }
        else if (node.parent.type === 'array') {
            const index = node.parent.children.indexOf(node);
            if (index !== -1) {
                path.push(index);
            }
        }
        return path;
    }
    exports.getNodePath = getNodePath;
    /**
     * Evaluates the JavaScript object of the given JSON DOM node
     */
    function getNodeValue(node) {
        switch (node.type) {
            case 'array':
                return node.children.map(getNodeValue);
            case 'object':
                const obj = Object.create(null);
                for (let prop of node.children) {
                    const valueNode = prop.children[1];
                    if (valueNode) {
                        obj[prop.children[0].value] = getNodeValue(valueNode);
                    }
                }
                return obj;
            case 'null':
            case 'string':
            case 'number':
            case 'boolean':
                return node.value;
            default:
                return undefined;
        }
    }
    exports.getNodeValue = getNodeValue;
    function contains(node, offset, includeRightBound = false) {
        return (offset >= node.offset && offset < (node.offset + node.length)) || includeRightBound && (offset === (node.offset + node.length));
    }
    exports.contains = contains;
    /**
     * Finds the most inner node at the given offset. If includeRightBound is set, also finds nodes that end at the given offset.
     */
    function findNodeAtOffset(node, offset, includeRightBound = false) {
        if (contains(node, offset, includeRightBound)) {
            const children = node.children;
            if (Array.isArray(children)) {
                for (let i = 0; i < children.length && children[i].offset <= offset; i++) {
                    const item = findNodeAtOffset(children[i], offset, includeRightBound);
                    if (item) {
                        return item;
                    }
                }
            }
            return node;
        }
        return undefined;
    }
    exports.findNodeAtOffset = findNodeAtOffset;
    /**
     * Parses the given text and invokes the visitor functions for each object, array and literal reached.
     */
    function visit(text, visitor, options = ParseOptions.DEFAULT) {
        const _scanner = (0, scanner_1.createScanner)(text, false);
        // Important: Only pass copies of this to visitor functions to prevent accidental modification, and
        // to not affect visitor functions which stored a reference to a previous JSONPath
        const _jsonPath = [];
        // Depth of onXXXBegin() callbacks suppressed. onXXXEnd() decrements this if it isn't 0 already.
        // Callbacks are only called when this value is 0.
        let suppressedCallbacks = 0;
        function toNoArgVisit(visitFunction) {
            return visitFunction ? () => suppressedCallbacks === 0 && visitFunction(_scanner.getTokenOffset(), _scanner.getTokenLength(), _scanner.getTokenStartLine(), _scanner.getTokenStartCharacter()) : () => true;
        }
        function toOneArgVisit(visitFunction) {
            return visitFunction ? (arg) => suppressedCallbacks === 0 && visitFunction(arg, _scanner.getTokenOffset(), _scanner.getTokenLength(), _scanner.getTokenStartLine(), _scanner.getTokenStartCharacter()) : () => true;
        }
        function toOneArgVisitWithPath(visitFunction) {
            return visitFunction ? (arg) => suppressedCallbacks === 0 && visitFunction(arg, _scanner.getTokenOffset(), _scanner.getTokenLength(), _scanner.getTokenStartLine(), _scanner.getTokenStartCharacter(), () => _jsonPath.slice()) : () => true;
        }
        function toBeginVisit(visitFunction) {
            return visitFunction ?
                () => {
                    if (suppressedCallbacks > 0) {
                        suppressedCallbacks++;
                    }
                    else {
                        let cbReturn = visitFunction(_scanner.getTokenOffset(), _scanner.getTokenLength(), _scanner.getTokenStartLine(), _scanner.getTokenStartCharacter(), () => _jsonPath.slice());
                        if (cbReturn === false) {
                            suppressedCallbacks = 1;
                        }
                    }
                }
                : () => true;
        }
        function toEndVisit(visitFunction) {
            return visitFunction ?
                () => {
                    if (suppressedCallbacks > 0) {
                        suppressedCallbacks--;
                    }
                    if (suppressedCallbacks === 0) {
                        visitFunction(_scanner.getTokenOffset(), _scanner.getTokenLength(), _scanner.getTokenStartLine(), _scanner.getTokenStartCharacter());
                    }
                }
                : () => true;
        }
        const onObjectBegin = toBeginVisit(visitor.onObjectBegin), onObjectProperty = toOneArgVisitWithPath(visitor.onObjectProperty), onObjectEnd = toEndVisit(visitor.onObjectEnd), onArrayBegin = toBeginVisit(visitor.onArrayBegin), onArrayEnd = toEndVisit(visitor.onArrayEnd), onLiteralValue = toOneArgVisitWithPath(visitor.onLiteralValue), onSeparator = toOneArgVisit(visitor.onSeparator), onComment = toNoArgVisit(visitor.onComment), onError = toOneArgVisit(visitor.onError);
        const disallowComments = options && options.disallowComments;
        const allowTrailingComma = options && options.allowTrailingComma;
        function scanNext() {
            while (true) {
                const token = _scanner.scan();
                switch (_scanner.getTokenError()) {
                    case 4 /* ScanError.InvalidUnicode */:
                        handleError(14 /* ParseErrorCode.InvalidUnicode */);
                        break;
                    case 5 /* ScanError.InvalidEscapeCharacter */:
                        handleError(15 /* ParseErrorCode.InvalidEscapeCharacter */);
                        break;
                    case 3 /* ScanError.UnexpectedEndOfNumber */:
                        handleError(13 /* ParseErrorCode.UnexpectedEndOfNumber */);
                        break;
                    case 1 /* ScanError.UnexpectedEndOfComment */:
                        if (!disallowComments) {
                            handleError(11 /* ParseErrorCode.UnexpectedEndOfComment */);
                        }
                        break;
                    case 2 /* ScanError.UnexpectedEndOfString */:
                        handleError(12 /* ParseErrorCode.UnexpectedEndOfString */);
                        break;
                    case 6 /* ScanError.InvalidCharacter */:
                        handleError(16 /* ParseErrorCode.InvalidCharacter */);
                        break;
                }
                switch (token) {
                    case 12 /* SyntaxKind.LineCommentTrivia */:
                    case 13 /* SyntaxKind.BlockCommentTrivia */:
                        if (disallowComments) {
                            handleError(10 /* ParseErrorCode.InvalidCommentToken */);
                        }
                        else {
                            onComment();
                        }
                        break;
                    case 16 /* SyntaxKind.Unknown */:
                        handleError(1 /* ParseErrorCode.InvalidSymbol */);
                        break;
                    case 15 /* SyntaxKind.Trivia */:
                    case 14 /* SyntaxKind.LineBreakTrivia */:
                        break;
                    default:
                        return token;
                }
            }
        }
        function handleError(error, skipUntilAfter = [], skipUntil = []) {
            onError(error);
            if (skipUntilAfter.length + skipUntil.length > 0) {
                let token = _scanner.getToken();
                while (token !== 17 /* SyntaxKind.EOF */) {
                    if (skipUntilAfter.indexOf(token) !== -1) {
                        scanNext();
                        break;
                    }
                    else if (skipUntil.indexOf(token) !== -1) {
                        break;
                    }
                    token = scanNext();
                }
            }
        }
        function parseString(isValue) {
            const value = _scanner.getTokenValue();
            if (isValue) {
                onLiteralValue(value);
            }
            else {
                onObjectProperty(value);
                // add property name afterwards
                _jsonPath.push(value);
            }
            scanNext();
            return true;
        }
        function parseLiteral() {
            switch (_scanner.getToken()) {
                case 11 /* SyntaxKind.NumericLiteral */:
                    const tokenValue = _scanner.getTokenValue();
                    let value = Number(tokenValue);
                    if (isNaN(value)) {
                        handleError(2 /* ParseErrorCode.InvalidNumberFormat */);
                        value = 0;
                    }
                    onLiteralValue(value);
                    break;
                case 7 /* SyntaxKind.NullKeyword */:
                    onLiteralValue(null);
                    break;
                case 8 /* SyntaxKind.TrueKeyword */:
                    onLiteralValue(true);
                    break;
                case 9 /* SyntaxKind.FalseKeyword */:
                    onLiteralValue(false);
                    break;
                default:
                    return false;
            }
            scanNext();
            return true;
        }
        function parseProperty() {
            if (_scanner.getToken() !== 10 /* SyntaxKind.StringLiteral */) {
                handleError(3 /* ParseErrorCode.PropertyNameExpected */, [], [2 /* SyntaxKind.CloseBraceToken */, 5 /* SyntaxKind.CommaToken */]);
                return false;
            }
            parseString(false);
            if (_scanner.getToken() === 6 /* SyntaxKind.ColonToken */) {
                onSeparator(':');
                scanNext(); // consume colon
                if (!parseValue()) {
                    handleError(4 /* ParseErrorCode.ValueExpected */, [], [2 /* SyntaxKind.CloseBraceToken */, 5 /* SyntaxKind.CommaToken */]);
                }
            }
            else {
                handleError(5 /* ParseErrorCode.ColonExpected */, [], [2 /* SyntaxKind.CloseBraceToken */, 5 /* SyntaxKind.CommaToken */]);
            }
            _jsonPath.pop(); // remove processed property name
            return true;
        }
        function parseObject() {
            onObjectBegin();
            scanNext(); // consume open brace
            let needsComma = false;
            while (_scanner.getToken() !== 2 /* SyntaxKind.CloseBraceToken */ && _scanner.getToken() !== 17 /* SyntaxKind.EOF */) {
                if (_scanner.getToken() === 5 /* SyntaxKind.CommaToken */) {
                    if (!needsComma) {
                        handleError(4 /* ParseErrorCode.ValueExpected */, [], []);
                    }
                    onSeparator(',');
                    scanNext(); // consume comma
                    if (_scanner.getToken() === 2 /* SyntaxKind.CloseBraceToken */ && allowTrailingComma) {
                        break;
                    }
                }
                else if (needsComma) {
                    handleError(6 /* ParseErrorCode.CommaExpected */, [], []);
                }
                if (!parseProperty()) {
                    handleError(4 /* ParseErrorCode.ValueExpected */, [], [2 /* SyntaxKind.CloseBraceToken */, 5 /* SyntaxKind.CommaToken */]);
                }
                needsComma = true;
            }
            onObjectEnd();
            if (_scanner.getToken() !== 2 /* SyntaxKind.CloseBraceToken */) {
                handleError(7 /* ParseErrorCode.CloseBraceExpected */, [2 /* SyntaxKind.CloseBraceToken */], []);
            }
            else {
                scanNext(); // consume close brace
            }
            return true;
        }
        function parseArray() {
            onArrayBegin();
            scanNext(); // consume open bracket
            let isFirstElement = true;
            let needsComma = false;
            while (_scanner.getToken() !== 4 /* SyntaxKind.CloseBracketToken */ && _scanner.getToken() !== 17 /* SyntaxKind.EOF */) {
                if (_scanner.getToken() === 5 /* SyntaxKind.CommaToken */) {
                    if (!needsComma) {
                        handleError(4 /* ParseErrorCode.ValueExpected */, [], []);
                    }
                    onSeparator(',');
                    scanNext(); // consume comma
                    if (_scanner.getToken() === 4 /* SyntaxKind.CloseBracketToken */ && allowTrailingComma) {
                        break;
                    }
                }
                else if (needsComma) {
                    handleError(6 /* ParseErrorCode.CommaExpected */, [], []);
                }
                if (isFirstElement) {
                    _jsonPath.push(0);
                    isFirstElement = false;
                }
                else {
                    _jsonPath[_jsonPath.length - 1]++;
                }
                if (!parseValue()) {
                    handleError(4 /* ParseErrorCode.ValueExpected */, [], [4 /* SyntaxKind.CloseBracketToken */, 5 /* SyntaxKind.CommaToken */]);
                }
                needsComma = true;
            }
            onArrayEnd();
            if (!isFirstElement) {
                _jsonPath.pop(); // remove array index
            }
            if (_scanner.getToken() !== 4 /* SyntaxKind.CloseBracketToken */) {
                handleError(8 /* ParseErrorCode.CloseBracketExpected */, [4 /* SyntaxKind.CloseBracketToken */], []);
            }
            else {
                scanNext(); // consume close bracket
            }
            return true;
        }
        function parseValue() {
            switch (_scanner.getToken()) {
                case 3 /* SyntaxKind.OpenBracketToken */:
                    return parseArray();
                case 1 /* SyntaxKind.OpenBraceToken */:
                    return parseObject();
                case 10 /* SyntaxKind.StringLiteral */:
                    return parseString(true);
                default:
                    return parseLiteral();
            }
        }
        scanNext();
        if (_scanner.getToken() === 17 /* SyntaxKind.EOF */) {
            if (options.allowEmptyContent) {
                return true;
            }
            handleError(4 /* ParseErrorCode.ValueExpected */, [], []);
            return false;
        }
        if (!parseValue()) {
            handleError(4 /* ParseErrorCode.ValueExpected */, [], []);
            return false;
        }
        if (_scanner.getToken() !== 17 /* SyntaxKind.EOF */) {
            handleError(9 /* ParseErrorCode.EndOfFileExpected */, [], []);
        }
        return true;
    }
    exports.visit = visit;
    /**
     * Takes JSON with JavaScript-style comments and remove
     * them. Optionally replaces every none-newline character
     * of comments with a replaceCharacter
     */
    function stripComments(text, replaceCh) {
        let _scanner = (0, scanner_1.createScanner)(text), parts = [], kind, offset = 0, pos;
        do {
            pos = _scanner.getPosition();
            kind = _scanner.scan();
            switch (kind) {
                case 12 /* SyntaxKind.LineCommentTrivia */:
                case 13 /* SyntaxKind.BlockCommentTrivia */:
                case 17 /* SyntaxKind.EOF */:
                    if (offset !== pos) {
                        parts.push(text.substring(offset, pos));
                    }
                    if (replaceCh !== undefined) {
                        parts.push(_scanner.getTokenValue().replace(/[^\r\n]/g, replaceCh));
                    }
                    offset = _scanner.getPosition();
                    break;
            }
        } while (kind !== 17 /* SyntaxKind.EOF */);
        return parts.join('');
    }
    exports.stripComments = stripComments;
    function getNodeType(value) {
        switch (typeof value) {
            case 'boolean': return 'boolean';
            case 'number': return 'number';
            case 'string': return 'string';
            case 'object': {
                if (!value) {
                    return 'null';
                }
                else if (Array.isArray(value)) {
                    return 'array';
                }
                return 'object';
            }
            default: return 'null';
        }
    }
    exports.getNodeType = getNodeType;
});


/***/ }),

/***/ 525:
/***/ ((module, exports) => {

(function (factory) {
    if ( true && typeof module.exports === "object") {
        var v = factory(__WEBPACK_EXTERNAL_createRequire(import.meta.url), exports);
        if (v !== undefined) module.exports = v;
    }
    else if (typeof define === "function" && define.amd) {
        define(["require", "exports"], factory);
    }
})(function () {
    /*---------------------------------------------------------------------------------------------
     *  Copyright (c) Microsoft Corporation. All rights reserved.
     *  Licensed under the MIT License. See License.txt in the project root for license information.
     *--------------------------------------------------------------------------------------------*/
    'use strict';
    Object.defineProperty(exports, "__esModule", ({ value: true }));
    exports.createScanner = void 0;
    /**
     * Creates a JSON scanner on the given text.
     * If ignoreTrivia is set, whitespaces or comments are ignored.
     */
    function createScanner(text, ignoreTrivia = false) {
        const len = text.length;
        let pos = 0, value = '', tokenOffset = 0, token = 16 /* SyntaxKind.Unknown */, lineNumber = 0, lineStartOffset = 0, tokenLineStartOffset = 0, prevTokenLineStartOffset = 0, scanError = 0 /* ScanError.None */;
        function scanHexDigits(count, exact) {
            let digits = 0;
            let value = 0;
            while (digits < count || !exact) {
                let ch = text.charCodeAt(pos);
                if (ch >= 48 /* CharacterCodes._0 */ && ch <= 57 /* CharacterCodes._9 */) {
                    value = value * 16 + ch - 48 /* CharacterCodes._0 */;
                }
                else if (ch >= 65 /* CharacterCodes.A */ && ch <= 70 /* CharacterCodes.F */) {
                    value = value * 16 + ch - 65 /* CharacterCodes.A */ + 10;
                }
                else if (ch >= 97 /* CharacterCodes.a */ && ch <= 102 /* CharacterCodes.f */) {
                    value = value * 16 + ch - 97 /* CharacterCodes.a */ + 10;
                }
                else {
                    break;
                }
                pos++;
                digits++;
            }
            if (digits < count) {
                value = -1;
            }
            return value;
        }
        function setPosition(newPosition) {
            pos = newPosition;
            value = '';
            tokenOffset = 0;
            token = 16 /* SyntaxKind.Unknown */;
            scanError = 0 /* ScanError.None */;
        }
        function scanNumber() {
            let start = pos;
            if (text.charCodeAt(pos) === 48 /* CharacterCodes._0 */) {
                pos++;
            }
            else {
                pos++;
                while (pos < text.length && isDigit(text.charCodeAt(pos))) {
                    pos++;
                }
            }
            if (pos < text.length && text.charCodeAt(pos) === 46 /* CharacterCodes.dot */) {
                pos++;
                if (pos < text.length && isDigit(text.charCodeAt(pos))) {
                    pos++;
                    while (pos < text.length && isDigit(text.charCodeAt(pos))) {
                        pos++;
                    }
                }
                else {
                    scanError = 3 /* ScanError.UnexpectedEndOfNumber */;
                    return text.substring(start, pos);
                }
            }
            let end = pos;
            if (pos < text.length && (text.charCodeAt(pos) === 69 /* CharacterCodes.E */ || text.charCodeAt(pos) === 101 /* CharacterCodes.e */)) {
                pos++;
                if (pos < text.length && text.charCodeAt(pos) === 43 /* CharacterCodes.plus */ || text.charCodeAt(pos) === 45 /* CharacterCodes.minus */) {
                    pos++;
                }
                if (pos < text.length && isDigit(text.charCodeAt(pos))) {
                    pos++;
                    while (pos < text.length && isDigit(text.charCodeAt(pos))) {
                        pos++;
                    }
                    end = pos;
                }
                else {
                    scanError = 3 /* ScanError.UnexpectedEndOfNumber */;
                }
            }
            return text.substring(start, end);
        }
        function scanString() {
            let result = '', start = pos;
            while (true) {
                if (pos >= len) {
                    result += text.substring(start, pos);
                    scanError = 2 /* ScanError.UnexpectedEndOfString */;
                    break;
                }
                const ch = text.charCodeAt(pos);
                if (ch === 34 /* CharacterCodes.doubleQuote */) {
                    result += text.substring(start, pos);
                    pos++;
                    break;
                }
                if (ch === 92 /* CharacterCodes.backslash */) {
                    result += text.substring(start, pos);
                    pos++;
                    if (pos >= len) {
                        scanError = 2 /* ScanError.UnexpectedEndOfString */;
                        break;
                    }
                    const ch2 = text.charCodeAt(pos++);
                    switch (ch2) {
                        case 34 /* CharacterCodes.doubleQuote */:
                            result += '\"';
                            break;
                        case 92 /* CharacterCodes.backslash */:
                            result += '\\';
                            break;
                        case 47 /* CharacterCodes.slash */:
                            result += '/';
                            break;
                        case 98 /* CharacterCodes.b */:
                            result += '\b';
                            break;
                        case 102 /* CharacterCodes.f */:
                            result += '\f';
                            break;
                        case 110 /* CharacterCodes.n */:
                            result += '\n';
                            break;
                        case 114 /* CharacterCodes.r */:
                            result += '\r';
                            break;
                        case 116 /* CharacterCodes.t */:
                            result += '\t';
                            break;
                        case 117 /* CharacterCodes.u */:
                            const ch3 = scanHexDigits(4, true);
                            if (ch3 >= 0) {
                                result += String.fromCharCode(ch3);
                            }
                            else {
                                scanError = 4 /* ScanError.InvalidUnicode */;
                            }
                            break;
                        default:
                            scanError = 5 /* ScanError.InvalidEscapeCharacter */;
                    }
                    start = pos;
                    continue;
                }
                if (ch >= 0 && ch <= 0x1f) {
                    if (isLineBreak(ch)) {
                        result += text.substring(start, pos);
                        scanError = 2 /* ScanError.UnexpectedEndOfString */;
                        break;
                    }
                    else {
                        scanError = 6 /* ScanError.InvalidCharacter */;
                        // mark as error but continue with string
                    }
                }
                pos++;
            }
            return result;
        }
        function scanNext() {
            value = '';
            scanError = 0 /* ScanError.None */;
            tokenOffset = pos;
            lineStartOffset = lineNumber;
            prevTokenLineStartOffset = tokenLineStartOffset;
            if (pos >= len) {
                // at the end
                tokenOffset = len;
                return token = 17 /* SyntaxKind.EOF */;
            }
            let code = text.charCodeAt(pos);
            // trivia: whitespace
            if (isWhiteSpace(code)) {
                do {
                    pos++;
                    value += String.fromCharCode(code);
                    code = text.charCodeAt(pos);
                } while (isWhiteSpace(code));
                return token = 15 /* SyntaxKind.Trivia */;
            }
            // trivia: newlines
            if (isLineBreak(code)) {
                pos++;
                value += String.fromCharCode(code);
                if (code === 13 /* CharacterCodes.carriageReturn */ && text.charCodeAt(pos) === 10 /* CharacterCodes.lineFeed */) {
                    pos++;
                    value += '\n';
                }
                lineNumber++;
                tokenLineStartOffset = pos;
                return token = 14 /* SyntaxKind.LineBreakTrivia */;
            }
            switch (code) {
                // tokens: []{}:,
                case 123 /* CharacterCodes.openBrace */:
                    pos++;
                    return token = 1 /* SyntaxKind.OpenBraceToken */;
                case 125 /* CharacterCodes.closeBrace */:
                    pos++;
                    return token = 2 /* SyntaxKind.CloseBraceToken */;
                case 91 /* CharacterCodes.openBracket */:
                    pos++;
                    return token = 3 /* SyntaxKind.OpenBracketToken */;
                case 93 /* CharacterCodes.closeBracket */:
                    pos++;
                    return token = 4 /* SyntaxKind.CloseBracketToken */;
                case 58 /* CharacterCodes.colon */:
                    pos++;
                    return token = 6 /* SyntaxKind.ColonToken */;
                case 44 /* CharacterCodes.comma */:
                    pos++;
                    return token = 5 /* SyntaxKind.CommaToken */;
                // strings
                case 34 /* CharacterCodes.doubleQuote */:
                    pos++;
                    value = scanString();
                    return token = 10 /* SyntaxKind.StringLiteral */;
                // comments
                case 47 /* CharacterCodes.slash */:
                    const start = pos - 1;
                    // Single-line comment
                    if (text.charCodeAt(pos + 1) === 47 /* CharacterCodes.slash */) {
                        pos += 2;
                        while (pos < len) {
                            if (isLineBreak(text.charCodeAt(pos))) {
                                break;
                            }
                            pos++;
                        }
                        value = text.substring(start, pos);
                        return token = 12 /* SyntaxKind.LineCommentTrivia */;
                    }
                    // Multi-line comment
                    if (text.charCodeAt(pos + 1) === 42 /* CharacterCodes.asterisk */) {
                        pos += 2;
                        const safeLength = len - 1; // For lookahead.
                        let commentClosed = false;
                        while (pos < safeLength) {
                            const ch = text.charCodeAt(pos);
                            if (ch === 42 /* CharacterCodes.asterisk */ && text.charCodeAt(pos + 1) === 47 /* CharacterCodes.slash */) {
                                pos += 2;
                                commentClosed = true;
                                break;
                            }
                            pos++;
                            if (isLineBreak(ch)) {
                                if (ch === 13 /* CharacterCodes.carriageReturn */ && text.charCodeAt(pos) === 10 /* CharacterCodes.lineFeed */) {
                                    pos++;
                                }
                                lineNumber++;
                                tokenLineStartOffset = pos;
                            }
                        }
                        if (!commentClosed) {
                            pos++;
                            scanError = 1 /* ScanError.UnexpectedEndOfComment */;
                        }
                        value = text.substring(start, pos);
                        return token = 13 /* SyntaxKind.BlockCommentTrivia */;
                    }
                    // just a single slash
                    value += String.fromCharCode(code);
                    pos++;
                    return token = 16 /* SyntaxKind.Unknown */;
                // numbers
                case 45 /* CharacterCodes.minus */:
                    value += String.fromCharCode(code);
                    pos++;
                    if (pos === len || !isDigit(text.charCodeAt(pos))) {
                        return token = 16 /* SyntaxKind.Unknown */;
                    }
                // found a minus, followed by a number so
                // we fall through to proceed with scanning
                // numbers
                case 48 /* CharacterCodes._0 */:
                case 49 /* CharacterCodes._1 */:
                case 50 /* CharacterCodes._2 */:
                case 51 /* CharacterCodes._3 */:
                case 52 /* CharacterCodes._4 */:
                case 53 /* CharacterCodes._5 */:
                case 54 /* CharacterCodes._6 */:
                case 55 /* CharacterCodes._7 */:
                case 56 /* CharacterCodes._8 */:
                case 57 /* CharacterCodes._9 */:
                    value += scanNumber();
                    return token = 11 /* SyntaxKind.NumericLiteral */;
                // literals and unknown symbols
                default:
                    // is a literal? Read the full word.
                    while (pos < len && isUnknownContentCharacter(code)) {
                        pos++;
                        code = text.charCodeAt(pos);
                    }
                    if (tokenOffset !== pos) {
                        value = text.substring(tokenOffset, pos);
                        // keywords: true, false, null
                        switch (value) {
                            case 'true': return token = 8 /* SyntaxKind.TrueKeyword */;
                            case 'false': return token = 9 /* SyntaxKind.FalseKeyword */;
                            case 'null': return token = 7 /* SyntaxKind.NullKeyword */;
                        }
                        return token = 16 /* SyntaxKind.Unknown */;
                    }
                    // some
                    value += String.fromCharCode(code);
                    pos++;
                    return token = 16 /* SyntaxKind.Unknown */;
            }
        }
        function isUnknownContentCharacter(code) {
            if (isWhiteSpace(code) || isLineBreak(code)) {
                return false;
            }
            switch (code) {
                case 125 /* CharacterCodes.closeBrace */:
                case 93 /* CharacterCodes.closeBracket */:
                case 123 /* CharacterCodes.openBrace */:
                case 91 /* CharacterCodes.openBracket */:
                case 34 /* CharacterCodes.doubleQuote */:
                case 58 /* CharacterCodes.colon */:
                case 44 /* CharacterCodes.comma */:
                case 47 /* CharacterCodes.slash */:
                    return false;
            }
            return true;
        }
        function scanNextNonTrivia() {
            let result;
            do {
                result = scanNext();
            } while (result >= 12 /* SyntaxKind.LineCommentTrivia */ && result <= 15 /* SyntaxKind.Trivia */);
            return result;
        }
        return {
            setPosition: setPosition,
            getPosition: () => pos,
            scan: ignoreTrivia ? scanNextNonTrivia : scanNext,
            getToken: () => token,
            getTokenValue: () => value,
            getTokenOffset: () => tokenOffset,
            getTokenLength: () => pos - tokenOffset,
            getTokenStartLine: () => lineStartOffset,
            getTokenStartCharacter: () => tokenOffset - prevTokenLineStartOffset,
            getTokenError: () => scanError,
        };
    }
    exports.createScanner = createScanner;
    function isWhiteSpace(ch) {
        return ch === 32 /* CharacterCodes.space */ || ch === 9 /* CharacterCodes.tab */;
    }
    function isLineBreak(ch) {
        return ch === 10 /* CharacterCodes.lineFeed */ || ch === 13 /* CharacterCodes.carriageReturn */;
    }
    function isDigit(ch) {
        return ch >= 48 /* CharacterCodes._0 */ && ch <= 57 /* CharacterCodes._9 */;
    }
    var CharacterCodes;
    (function (CharacterCodes) {
        CharacterCodes[CharacterCodes["lineFeed"] = 10] = "lineFeed";
        CharacterCodes[CharacterCodes["carriageReturn"] = 13] = "carriageReturn";
        CharacterCodes[CharacterCodes["space"] = 32] = "space";
        CharacterCodes[CharacterCodes["_0"] = 48] = "_0";
        CharacterCodes[CharacterCodes["_1"] = 49] = "_1";
        CharacterCodes[CharacterCodes["_2"] = 50] = "_2";
        CharacterCodes[CharacterCodes["_3"] = 51] = "_3";
        CharacterCodes[CharacterCodes["_4"] = 52] = "_4";
        CharacterCodes[CharacterCodes["_5"] = 53] = "_5";
        CharacterCodes[CharacterCodes["_6"] = 54] = "_6";
        CharacterCodes[CharacterCodes["_7"] = 55] = "_7";
        CharacterCodes[CharacterCodes["_8"] = 56] = "_8";
        CharacterCodes[CharacterCodes["_9"] = 57] = "_9";
        CharacterCodes[CharacterCodes["a"] = 97] = "a";
        CharacterCodes[CharacterCodes["b"] = 98] = "b";
        CharacterCodes[CharacterCodes["c"] = 99] = "c";
        CharacterCodes[CharacterCodes["d"] = 100] = "d";
        CharacterCodes[CharacterCodes["e"] = 101] = "e";
        CharacterCodes[CharacterCodes["f"] = 102] = "f";
        CharacterCodes[CharacterCodes["g"] = 103] = "g";
        CharacterCodes[CharacterCodes["h"] = 104] = "h";
        CharacterCodes[CharacterCodes["i"] = 105] = "i";
        CharacterCodes[CharacterCodes["j"] = 106] = "j";
        CharacterCodes[CharacterCodes["k"] = 107] = "k";
        CharacterCodes[CharacterCodes["l"] = 108] = "l";
        CharacterCodes[CharacterCodes["m"] = 109] = "m";
        CharacterCodes[CharacterCodes["n"] = 110] = "n";
        CharacterCodes[CharacterCodes["o"] = 111] = "o";
        CharacterCodes[CharacterCodes["p"] = 112] = "p";
        CharacterCodes[CharacterCodes["q"] = 113] = "q";
        CharacterCodes[CharacterCodes["r"] = 114] = "r";
        CharacterCodes[CharacterCodes["s"] = 115] = "s";
        CharacterCodes[CharacterCodes["t"] = 116] = "t";
        CharacterCodes[CharacterCodes["u"] = 117] = "u";
        CharacterCodes[CharacterCodes["v"] = 118] = "v";
        CharacterCodes[CharacterCodes["w"] = 119] = "w";
        CharacterCodes[CharacterCodes["x"] = 120] = "x";
        CharacterCodes[CharacterCodes["y"] = 121] = "y";
        CharacterCodes[CharacterCodes["z"] = 122] = "z";
        CharacterCodes[CharacterCodes["A"] = 65] = "A";
        CharacterCodes[CharacterCodes["B"] = 66] = "B";
        CharacterCodes[CharacterCodes["C"] = 67] = "C";
        CharacterCodes[CharacterCodes["D"] = 68] = "D";
        CharacterCodes[CharacterCodes["E"] = 69] = "E";
        CharacterCodes[CharacterCodes["F"] = 70] = "F";
        CharacterCodes[CharacterCodes["G"] = 71] = "G";
        CharacterCodes[CharacterCodes["H"] = 72] = "H";
        CharacterCodes[CharacterCodes["I"] = 73] = "I";
        CharacterCodes[CharacterCodes["J"] = 74] = "J";
        CharacterCodes[CharacterCodes["K"] = 75] = "K";
        CharacterCodes[CharacterCodes["L"] = 76] = "L";
        CharacterCodes[CharacterCodes["M"] = 77] = "M";
        CharacterCodes[CharacterCodes["N"] = 78] = "N";
        CharacterCodes[CharacterCodes["O"] = 79] = "O";
        CharacterCodes[CharacterCodes["P"] = 80] = "P";
        CharacterCodes[CharacterCodes["Q"] = 81] = "Q";
        CharacterCodes[CharacterCodes["R"] = 82] = "R";
        CharacterCodes[CharacterCodes["S"] = 83] = "S";
        CharacterCodes[CharacterCodes["T"] = 84] = "T";
        CharacterCodes[CharacterCodes["U"] = 85] = "U";
        CharacterCodes[CharacterCodes["V"] = 86] = "V";
        CharacterCodes[CharacterCodes["W"] = 87] = "W";
        CharacterCodes[CharacterCodes["X"] = 88] = "X";
        CharacterCodes[CharacterCodes["Y"] = 89] = "Y";
        CharacterCodes[CharacterCodes["Z"] = 90] = "Z";
        CharacterCodes[CharacterCodes["asterisk"] = 42] = "asterisk";
        CharacterCodes[CharacterCodes["backslash"] = 92] = "backslash";
        CharacterCodes[CharacterCodes["closeBrace"] = 125] = "closeBrace";
        CharacterCodes[CharacterCodes["closeBracket"] = 93] = "closeBracket";
        CharacterCodes[CharacterCodes["colon"] = 58] = "colon";
        CharacterCodes[CharacterCodes["comma"] = 44] = "comma";
        CharacterCodes[CharacterCodes["dot"] = 46] = "dot";
        CharacterCodes[CharacterCodes["doubleQuote"] = 34] = "doubleQuote";
        CharacterCodes[CharacterCodes["minus"] = 45] = "minus";
        CharacterCodes[CharacterCodes["openBrace"] = 123] = "openBrace";
        CharacterCodes[CharacterCodes["openBracket"] = 91] = "openBracket";
        CharacterCodes[CharacterCodes["plus"] = 43] = "plus";
        CharacterCodes[CharacterCodes["slash"] = 47] = "slash";
        CharacterCodes[CharacterCodes["formFeed"] = 12] = "formFeed";
        CharacterCodes[CharacterCodes["tab"] = 9] = "tab";
    })(CharacterCodes || (CharacterCodes = {}));
});


/***/ }),

/***/ 579:
/***/ ((module, exports) => {

(function (factory) {
    if ( true && typeof module.exports === "object") {
        var v = factory(__WEBPACK_EXTERNAL_createRequire(import.meta.url), exports);
        if (v !== undefined) module.exports = v;
    }
    else if (typeof define === "function" && define.amd) {
        define(["require", "exports"], factory);
    }
})(function () {
    "use strict";
    Object.defineProperty(exports, "__esModule", ({ value: true }));
    exports.supportedEols = exports.cachedBreakLinesWithSpaces = exports.cachedSpaces = void 0;
    exports.cachedSpaces = new Array(20).fill(0).map((_, index) => {
        return ' '.repeat(index);
    });
    const maxCachedValues = 200;
    exports.cachedBreakLinesWithSpaces = {
        ' ': {
            '\n': new Array(maxCachedValues).fill(0).map((_, index) => {
                return '\n' + ' '.repeat(index);
            }),
            '\r': new Array(maxCachedValues).fill(0).map((_, index) => {
                return '\r' + ' '.repeat(index);
            }),
            '\r\n': new Array(maxCachedValues).fill(0).map((_, index) => {
                return '\r\n' + ' '.repeat(index);
            }),
        },
        '\t': {
            '\n': new Array(maxCachedValues).fill(0).map((_, index) => {
                return '\n' + '\t'.repeat(index);
            }),
            '\r': new Array(maxCachedValues).fill(0).map((_, index) => {
                return '\r' + '\t'.repeat(index);
            }),
            '\r\n': new Array(maxCachedValues).fill(0).map((_, index) => {
                return '\r\n' + '\t'.repeat(index);
            }),
        }
    };
    exports.supportedEols = ['\n', '\r', '\r\n'];
});


/***/ }),

/***/ 547:
/***/ ((module, exports, __nccwpck_require__) => {

(function (factory) {
    if ( true && typeof module.exports === "object") {
        var v = factory(__WEBPACK_EXTERNAL_createRequire(import.meta.url), exports);
        if (v !== undefined) module.exports = v;
    }
    else if (typeof define === "function" && define.amd) {
        define(["require", "exports", "./impl/format", "./impl/edit", "./impl/scanner", "./impl/parser"], factory);
    }
})(function () {
    /*---------------------------------------------------------------------------------------------
     *  Copyright (c) Microsoft Corporation. All rights reserved.
     *  Licensed under the MIT License. See License.txt in the project root for license information.
     *--------------------------------------------------------------------------------------------*/
    'use strict';
    Object.defineProperty(exports, "__esModule", ({ value: true }));
    exports.applyEdits = exports.modify = exports.format = exports.printParseErrorCode = exports.ParseErrorCode = exports.stripComments = exports.visit = exports.getNodeValue = exports.getNodePath = exports.findNodeAtOffset = exports.findNodeAtLocation = exports.parseTree = exports.parse = exports.getLocation = exports.SyntaxKind = exports.ScanError = exports.createScanner = void 0;
    const formatter = __nccwpck_require__(612);
    const edit = __nccwpck_require__(807);
    const scanner = __nccwpck_require__(525);
    const parser = __nccwpck_require__(152);
    /**
     * Creates a JSON scanner on the given text.
     * If ignoreTrivia is set, whitespaces or comments are ignored.
     */
    exports.createScanner = scanner.createScanner;
    var ScanError;
    (function (ScanError) {
        ScanError[ScanError["None"] = 0] = "None";
        ScanError[ScanError["UnexpectedEndOfComment"] = 1] = "UnexpectedEndOfComment";
        ScanError[ScanError["UnexpectedEndOfString"] = 2] = "UnexpectedEndOfString";
        ScanError[ScanError["UnexpectedEndOfNumber"] = 3] = "UnexpectedEndOfNumber";
        ScanError[ScanError["InvalidUnicode"] = 4] = "InvalidUnicode";
        ScanError[ScanError["InvalidEscapeCharacter"] = 5] = "InvalidEscapeCharacter";
        ScanError[ScanError["InvalidCharacter"] = 6] = "InvalidCharacter";
    })(ScanError || (exports.ScanError = ScanError = {}));
    var SyntaxKind;
    (function (SyntaxKind) {
        SyntaxKind[SyntaxKind["OpenBraceToken"] = 1] = "OpenBraceToken";
        SyntaxKind[SyntaxKind["CloseBraceToken"] = 2] = "CloseBraceToken";
        SyntaxKind[SyntaxKind["OpenBracketToken"] = 3] = "OpenBracketToken";
        SyntaxKind[SyntaxKind["CloseBracketToken"] = 4] = "CloseBracketToken";
        SyntaxKind[SyntaxKind["CommaToken"] = 5] = "CommaToken";
        SyntaxKind[SyntaxKind["ColonToken"] = 6] = "ColonToken";
        SyntaxKind[SyntaxKind["NullKeyword"] = 7] = "NullKeyword";
        SyntaxKind[SyntaxKind["TrueKeyword"] = 8] = "TrueKeyword";
        SyntaxKind[SyntaxKind["FalseKeyword"] = 9] = "FalseKeyword";
        SyntaxKind[SyntaxKind["StringLiteral"] = 10] = "StringLiteral";
        SyntaxKind[SyntaxKind["NumericLiteral"] = 11] = "NumericLiteral";
        SyntaxKind[SyntaxKind["LineCommentTrivia"] = 12] = "LineCommentTrivia";
        SyntaxKind[SyntaxKind["BlockCommentTrivia"] = 13] = "BlockCommentTrivia";
        SyntaxKind[SyntaxKind["LineBreakTrivia"] = 14] = "LineBreakTrivia";
        SyntaxKind[SyntaxKind["Trivia"] = 15] = "Trivia";
        SyntaxKind[SyntaxKind["Unknown"] = 16] = "Unknown";
        SyntaxKind[SyntaxKind["EOF"] = 17] = "EOF";
    })(SyntaxKind || (exports.SyntaxKind = SyntaxKind = {}));
    /**
     * For a given offset, evaluate the location in the JSON document. Each segment in the location path is either a property name or an array index.
     */
    exports.getLocation = parser.getLocation;
    /**
     * Parses the given text and returns the object the JSON content represents. On invalid input, the parser tries to be as fault tolerant as possible, but still return a result.
     * Therefore, always check the errors list to find out if the input was valid.
     */
    exports.parse = parser.parse;
    /**
     * Parses the given text and returns a tree representation the JSON content. On invalid input, the parser tries to be as fault tolerant as possible, but still return a result.
     */
    exports.parseTree = parser.parseTree;
    /**
     * Finds the node at the given path in a JSON DOM.
     */
    exports.findNodeAtLocation = parser.findNodeAtLocation;
    /**
     * Finds the innermost node at the given offset. If includeRightBound is set, also finds nodes that end at the given offset.
     */
    exports.findNodeAtOffset = parser.findNodeAtOffset;
    /**
     * Gets the JSON path of the given JSON DOM node
     */
    exports.getNodePath = parser.getNodePath;
    /**
     * Evaluates the JavaScript object of the given JSON DOM node
     */
    exports.getNodeValue = parser.getNodeValue;
    /**
     * Parses the given text and invokes the visitor functions for each object, array and literal reached.
     */
    exports.visit = parser.visit;
    /**
     * Takes JSON with JavaScript-style comments and remove
     * them. Optionally replaces every none-newline character
     * of comments with a replaceCharacter
     */
    exports.stripComments = parser.stripComments;
    var ParseErrorCode;
    (function (ParseErrorCode) {
        ParseErrorCode[ParseErrorCode["InvalidSymbol"] = 1] = "InvalidSymbol";
        ParseErrorCode[ParseErrorCode["InvalidNumberFormat"] = 2] = "InvalidNumberFormat";
        ParseErrorCode[ParseErrorCode["PropertyNameExpected"] = 3] = "PropertyNameExpected";
        ParseErrorCode[ParseErrorCode["ValueExpected"] = 4] = "ValueExpected";
        ParseErrorCode[ParseErrorCode["ColonExpected"] = 5] = "ColonExpected";
        ParseErrorCode[ParseErrorCode["CommaExpected"] = 6] = "CommaExpected";
        ParseErrorCode[ParseErrorCode["CloseBraceExpected"] = 7] = "CloseBraceExpected";
        ParseErrorCode[ParseErrorCode["CloseBracketExpected"] = 8] = "CloseBracketExpected";
        ParseErrorCode[ParseErrorCode["EndOfFileExpected"] = 9] = "EndOfFileExpected";
        ParseErrorCode[ParseErrorCode["InvalidCommentToken"] = 10] = "InvalidCommentToken";
        ParseErrorCode[ParseErrorCode["UnexpectedEndOfComment"] = 11] = "UnexpectedEndOfComment";
        ParseErrorCode[ParseErrorCode["UnexpectedEndOfString"] = 12] = "UnexpectedEndOfString";
        ParseErrorCode[ParseErrorCode["UnexpectedEndOfNumber"] = 13] = "UnexpectedEndOfNumber";
        ParseErrorCode[ParseErrorCode["InvalidUnicode"] = 14] = "InvalidUnicode";
        ParseErrorCode[ParseErrorCode["InvalidEscapeCharacter"] = 15] = "InvalidEscapeCharacter";
        ParseErrorCode[ParseErrorCode["InvalidCharacter"] = 16] = "InvalidCharacter";
    })(ParseErrorCode || (exports.ParseErrorCode = ParseErrorCode = {}));
    function printParseErrorCode(code) {
        switch (code) {
            case 1 /* ParseErrorCode.InvalidSymbol */: return 'InvalidSymbol';
            case 2 /* ParseErrorCode.InvalidNumberFormat */: return 'InvalidNumberFormat';
            case 3 /* ParseErrorCode.PropertyNameExpected */: return 'PropertyNameExpected';
            case 4 /* ParseErrorCode.ValueExpected */: return 'ValueExpected';
            case 5 /* ParseErrorCode.ColonExpected */: return 'ColonExpected';
            case 6 /* ParseErrorCode.CommaExpected */: return 'CommaExpected';
            case 7 /* ParseErrorCode.CloseBraceExpected */: return 'CloseBraceExpected';
            case 8 /* ParseErrorCode.CloseBracketExpected */: return 'CloseBracketExpected';
            case 9 /* ParseErrorCode.EndOfFileExpected */: return 'EndOfFileExpected';
            case 10 /* ParseErrorCode.InvalidCommentToken */: return 'InvalidCommentToken';
            case 11 /* ParseErrorCode.UnexpectedEndOfComment */: return 'UnexpectedEndOfComment';
            case 12 /* ParseErrorCode.UnexpectedEndOfString */: return 'UnexpectedEndOfString';
            case 13 /* ParseErrorCode.UnexpectedEndOfNumber */: return 'UnexpectedEndOfNumber';
            case 14 /* ParseErrorCode.InvalidUnicode */: return 'InvalidUnicode';
            case 15 /* ParseErrorCode.InvalidEscapeCharacter */: return 'InvalidEscapeCharacter';
            case 16 /* ParseErrorCode.InvalidCharacter */: return 'InvalidCharacter';
        }
        return '<unknown ParseErrorCode>';
    }
    exports.printParseErrorCode = printParseErrorCode;
    /**
     * Computes the edit operations needed to format a JSON document.
     *
     * @param documentText The input text
     * @param range The range to format or `undefined` to format the full content
     * @param options The formatting options
     * @returns The edit operations describing the formatting changes to the original document following the format described in {@linkcode EditResult}.
     * To apply the edit operations to the input, use {@linkcode applyEdits}.
     */
    function format(documentText, range, options) {
        return formatter.format(documentText, range, options);
    }
    exports.format = format;
    /**
     * Computes the edit operations needed to modify a value in the JSON document.
     *
     * @param documentText The input text
     * @param path The path of the value to change. The path represents either to the document root, a property or an array item.
     * If the path points to an non-existing property or item, it will be created.
     * @param value The new value for the specified property or item. If the value is undefined,
     * the property or item will be removed.
     * @param options Options
     * @returns The edit operations describing the changes to the original document, following the format described in {@linkcode EditResult}.
     * To apply the edit operations to the input, use {@linkcode applyEdits}.
     */
    function modify(text, path, value, options) {
        return edit.setProperty(text, path, value, options);
    }
    exports.modify = modify;
    /**
     * Applies edits to an input string.
     * @param text The input text
     * @param edits Edit operations following the format described in {@linkcode EditResult}.
     * @returns The text with the applied edits.
     * @throws An error if the edit operations are not well-formed as described in {@linkcode EditResult}.
     */
    function applyEdits(text, edits) {
        let sortedEdits = edits.slice(0).sort((a, b) => {
            const diff = a.offset - b.offset;
            if (diff === 0) {
                return a.length - b.length;
            }
            return diff;
        });
        let lastModifiedOffset = text.length;
        for (let i = sortedEdits.length - 1; i >= 0; i--) {
            let e = sortedEdits[i];
            if (e.offset + e.length <= lastModifiedOffset) {
                text = edit.applyEdit(text, e);
            }
            else {
                throw new Error('Overlapping edit');
            }
            lastModifiedOffset = e.offset;
        }
        return text;
    }
    exports.applyEdits = applyEdits;
});


/***/ }),

/***/ 24:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 708:
/***/ ((__webpack_module__, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(__webpack_module__, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(658);

process.exitCode = await (0,_main_js__WEBPACK_IMPORTED_MODULE_0__/* .main */ .i)(process.argv.slice(2), process.cwd());

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 658:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  i: () => (/* binding */ main_main)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
;// CONCATENATED MODULE: ./build/src/errors.js
/**
 * A problem with how the tool was called or configured: a bad input value, a config file that cannot be
 * read, a database that is not declared. The action fails the step with the message; the CLI exits 2.
 */
class UsageError extends Error {
    constructor(message) {
        super(message);
        this.name = 'UsageError';
    }
}
/** Message of anything thrown, including non-Error values (a thrown string must not pass silently). */
function getErrorMessage(error) {
    if (error instanceof Error)
        return error.message;
    // Errors from another realm (a VM context, a worker) are not `instanceof Error` here but still have a message.
    if (error && typeof error === 'object' && typeof error.message === 'string') {
        return error.message;
    }
    if (typeof error === 'string')
        return error;
    try {
        return JSON.stringify(error);
    }
    catch {
        return String(error);
    }
}

;// CONCATENATED MODULE: ./build/src/config/find-config.js



/** File names wrangler looks for, in its order of precedence. */
const CONFIG_FILE_NAMES = ['wrangler.json', 'wrangler.jsonc', 'wrangler.toml'];
/**
 * Absolute path of the wrangler config file to use.
 *
 * With `explicit` (the `config` input, relative to `cwd`) the file must exist. Otherwise this searches
 * the way wrangler's `findWranglerConfig` does (workers-utils config-helpers.ts, via empathic's
 * `find.file`): for each name in precedence order it walks from `cwd` up to the filesystem root, so
 * a `wrangler.json` in a parent directory wins over a `wrangler.toml` in `cwd`. Matching that exactly
 * matters because the apply phase runs wrangler from the same directory and must read the same file.
 *
 * `.wrangler/deploy/config.json` redirects are deliberately not followed: wrangler only honours them
 * for deploy/dev/versions commands, never for `d1 migrations`.
 */
function findConfig(cwd, explicit) {
    const base = external_node_path_.resolve(cwd);
    // Without this, a mistyped working directory silently picks up a config from a parent directory.
    let cwdStat;
    try {
        cwdStat = external_node_fs_.statSync(base);
    }
    catch {
        cwdStat = undefined;
    }
    if (!cwdStat?.isDirectory()) {
        throw new UsageError(`working-directory (--cwd): ${base} ${cwdStat ? 'is a file, not a directory' : 'does not exist'}. Set working-directory to the directory of your Worker project (relative to the workspace).`);
    }
    if (explicit !== undefined && explicit.trim() !== '') {
        const abs = external_node_path_.resolve(base, explicit);
        let stat;
        try {
            stat = external_node_fs_.statSync(abs);
        }
        catch {
            throw new UsageError(`config: the file "${explicit}" does not exist (looked for ${abs}, relative to the working directory ${base}). ` +
                `Set config to the path of your wrangler.json, wrangler.jsonc or wrangler.toml relative to the working directory, or leave it empty to search the way wrangler does.`);
        }
        if (!stat.isFile()) {
            throw new UsageError(`config: "${explicit}" (${abs}) is a directory, not a file. Set config to the wrangler.json, wrangler.jsonc or wrangler.toml file itself.`);
        }
        return abs;
    }
    const dirs = ancestors(base);
    for (const name of CONFIG_FILE_NAMES) {
        for (const dir of dirs) {
            const candidate = external_node_path_.join(dir, name);
            if (isFile(candidate))
                return candidate;
        }
    }
    throw new UsageError(`config: no wrangler configuration file found. Looked for ${CONFIG_FILE_NAMES.join(', ')} in ${dirs.join(', ')} ` +
        `(the working directory and every directory above it, as wrangler does). ` +
        `Set working-directory to your Worker project or set config to the file's path.`);
}
function ancestors(start) {
    const out = [];
    let dir = start;
    for (;;) {
        out.push(dir);
        const parent = external_node_path_.dirname(dir);
        if (parent === dir)
            return out;
        dir = parent;
    }
}
// empathic uses statSync(...).isFile(): symlinks to files count, directories named wrangler.toml do not.
function isFile(p) {
    try {
        return external_node_fs_.statSync(p).isFile();
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./build/src/config/paths.js

/**
 * Canonical form of a relative path or glob, exactly as newest wrangler's `normalizeRelativePath`
 * (d1/migrations/helpers.ts) computes it, so prefix checks between `migrations_dir` and
 * `migrations_pattern` agree with wrangler's.
 */
function normalizeRelativePath(p) {
    const normalized = external_node_path_.posix.normalize(p.replace(/\\/g, '/'));
    return normalized.endsWith('/') && normalized.length > 1 ? normalized.slice(0, -1) : normalized;
}
/** `abs` relative to `base` with forward slashes; `.` for the directory itself. */
function toPosixRelative(base, abs) {
    const rel = external_node_path_.relative(base, abs);
    if (rel === '')
        return '.';
    return rel.split(external_node_path_.sep).join('/');
}
/** True when `child` is `parent` or lies below it (both absolute, already resolved). */
function isInside(parent, child) {
    const rel = external_node_path_.relative(parent, child);
    // `..foo` is a child named `..foo`, not a parent reference, so test whole segments.
    return !(rel === '..' || rel.startsWith(`..${external_node_path_.sep}`) || external_node_path_.isAbsolute(rel));
}

// EXTERNAL MODULE: ./node_modules/jsonc-parser/lib/umd/main.js
var main = __nccwpck_require__(547);
;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/error.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
function getLineColFromPtr(string, ptr) {
    let lines = string.slice(0, ptr).split(/\r?\n/);
    return [lines.length, lines.pop().length + 1];
}
function makeCodeBlock(string, line, column) {
    let lines = string.split(/\r?\n/);
    let codeblock = '';
    let numberLen = (Math.log10(line + 1) | 0) + 1;
    for (let i = line - 1; i <= line + 1; i++) {
        let l = lines[i - 1];
        if (!l)
            continue;
        codeblock += i.toString().padEnd(numberLen, ' ');
        codeblock += ':  ';
        codeblock += l;
        codeblock += '\n';
        if (i === line) {
            codeblock += ' '.repeat(numberLen + column + 2);
            codeblock += '^\n';
        }
    }
    return codeblock;
}
class TomlError extends Error {
    line;
    column;
    codeblock;
    constructor(message, options) {
        const [line, column] = getLineColFromPtr(options.toml, options.ptr);
        const codeblock = makeCodeBlock(options.toml, line, column);
        super(`Invalid TOML document: ${message}\n\n${codeblock}`, options);
        this.line = line;
        this.column = column;
        this.codeblock = codeblock;
    }
    /** @internal */
    static x(message, ctx, ptr) {
        throw new TomlError(message, { toml: ctx.s, ptr: ptr ?? ctx.p });
    }
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/primitive.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */

/** @internal */
function parseString(ctx) {
    let startPtr = ctx.p;
    let c = ctx.s.charCodeAt(ctx.p++);
    let first = c;
    let isLiteral = c === 0x27; /* ' */
    let isMultiline = c === ctx.s.charCodeAt(ctx.p) && c === ctx.s.charCodeAt(ctx.p + 1);
    if (isMultiline) {
        // Trim initial newline
        if ((c = ctx.s.charCodeAt(ctx.p += 2)) === 0xa /* \n */)
            ctx.p++;
        else if (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */)
            ctx.p += 2;
    }
    // For the record: it is not worth it to use a fast-path for literal strings using `indexOf`.
    // Doing a char-by-char iteration ends up dispatching less instructions, for the same wall-clock runtime.
    let parsed = '';
    let sliceStart = ctx.p;
    // states:
    //   0 - decoding
    //   1 - decoding escape
    //   2 - whitespace escape (no newline encountered yet, must fail on non-whitespace)
    //   3 - whitespace escape (newline encountered, allowed to transition back to normal decode)
    let state = 0;
    for (; ctx.p < ctx.s.length; ctx.p++) {
        c = ctx.s.charCodeAt(ctx.p);
        // Deal with newlines first, since that simplifies control character checking and handling across all states
        if (isMultiline && (c === 0xa /* \n */ || (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */))) {
            state = state && 3;
        }
        // Control characters are banned in TOML, so we throw an error if we encounter them
        else if ((c < 0x20 && c !== 0x9 /* \t */) || c === 0x7f) {
            TomlError.x('control characters are not allowed in strings', ctx);
        }
        // The string might terminate while we're parsing through a newline escape.
        // It must have encountered a newline; otherwise, it'll simply fail in another branch.
        else if ((!state || state === 3) && c === first && (!isMultiline || (ctx.s.charCodeAt(ctx.p + 1) === first && ctx.s.charCodeAt(ctx.p + 2) === first))) {
            if (isMultiline) {
                // If the string ends with 4-5 quotes, then the first 1-2 are part of the string
                if (ctx.s.charCodeAt(ctx.p + 3) === first)
                    ctx.p++;
                if (ctx.s.charCodeAt(ctx.p + 3) === first)
                    ctx.p++;
            }
            // If we're in a newline escape still, then there's nothing to add.
            if (!state) {
                // Avoid a useless concat operation if the string can be used as-is.
                let s = ctx.s.slice(sliceStart, ctx.p);
                parsed = parsed ? parsed + s : s;
            }
            ctx.p += isMultiline ? 3 : 1;
            return parsed;
        }
        // Baseline state; keep moving forward unless an escape sequence starts
        else if (!state) {
            if (!isLiteral && c === 0x5c /* \ */) {
                parsed += ctx.s.slice(sliceStart, (sliceStart = ctx.p));
                state = 1;
            }
        }
        else if (state === 1) {
            if (c === 0x78 /* x */ || c === 0x75 /* u */ || c === 0x55 /* U */) { // Unicode escape
                let errPtr = ctx.p++ - 1;
                let value = 0;
                let len = c === 0x78 /* x */ ? 2 : c === 0x75 /* u */ ? 4 : 8;
                for (let j = 0; j < len; j++, ctx.p++) {
                    let hex = ctx.s.charCodeAt(ctx.p);
                    let digit = 
                    /* 0-9 */ hex >= 0x30 && hex <= 0x39 ? hex - 0x30 :
                        /* A-F */ hex >= 0x41 && hex <= 0x46 ? hex - 0x41 + 10 :
                            /* a-f */ hex >= 0x61 && hex <= 0x66 ? hex - 0x61 + 10 : -1;
                    if (digit < 0)
                        TomlError.x('invalid non-hex character in unicode escape', ctx);
                    value = (value << 4) | digit;
                }
                // Because JS does bitwise on signed 32bit integers, all 0xfzzzzzzz values are actually seen as negative
                if (value < 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
                    TomlError.x('invalid unicode escape', ctx, errPtr);
                }
                parsed += String.fromCodePoint(value);
                sliceStart = ctx.p--;
                state = 0;
            }
            // Newline escape sequence. We only need to care about spaces and tabs; newlines are dealt with earlier
            else if (isMultiline && (c === 0x20 || c === 0x9 /* \t */)) {
                state = 2;
            }
            // Basic escape sequence
            else {
                if (c === 0x62 /* b */)
                    parsed += '\b';
                else if (c === 0x74 /* t */)
                    parsed += '\t';
                else if (c === 0x6e /* n */)
                    parsed += '\n';
                else if (c === 0x66 /* f */)
                    parsed += '\f';
                else if (c === 0x72 /* r */)
                    parsed += '\r';
                else if (c === 0x65 /* e */)
                    parsed += '\x1b';
                else if (c === 0x22 /* " */)
                    parsed += '"';
                else if (c === 0x5c /* \ */)
                    parsed += '\\';
                else
                    TomlError.x('unrecognised escape sequence', ctx);
                sliceStart = ctx.p + 1;
                state = 0;
            }
        }
        // Newline escape continuation: keep moving forward until the first non-whitespace char
        else if (c !== 0x20 && c !== 0x9 /* \t */) {
            if (state === 2)
                TomlError.x('invalid escape: only line-ending whitespace may be escaped', ctx, sliceStart);
            // State cannot be zero, or we'd have branched earlier already.
            // If it's a backslash, immediately transition to the escape state so it can be processed.
            state = !isLiteral && c === 0x5c /* \ */ ? 1 : 0;
            sliceStart = ctx.p;
        }
    }
    TomlError.x('unfinished string', ctx, startPtr);
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/date.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
let DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})?[Tt ]?(?:(\d{2}):\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|z|[-+]\d{2}:\d{2})?$/i;
class TomlDate extends Date {
    #hasDate = false;
    #hasTime = false;
    #offset = null;
    constructor(date, fasttype, unsafeDelim) {
        let hasDate = true;
        let hasTime = true;
        let offset = 'Z';
        let c;
        if (typeof date === 'string') {
            if (fasttype)
                prep: {
                    // Date-time
                    if (fasttype < 3) {
                        if (+date.slice(11, 13) > 23) {
                            date = '';
                            break prep;
                        }
                        // Local
                        if (fasttype === 2) {
                            offset = null;
                            date += 'Z';
                        }
                        // Offset; keep track of offset if not Z
                        else if ((c = date.charCodeAt(date.length - 1)) !== 0x5a /* Z */ && c !== 0x7a /* z */) {
                            offset = date.slice(date.length - 6);
                        }
                        if (unsafeDelim)
                            date = date.slice(0, 10) + 'T' + date.slice(11);
                    }
                    // Time
                    else if (fasttype === 4) {
                        date = +date.slice(0, 2) > 23 ? '' : `0000-01-01T${date}Z`;
                    }
                    hasDate = fasttype !== 4;
                    hasTime = fasttype !== 3;
                }
            else {
                let match = date.match(DATE_TIME_RE);
                if (match) {
                    if (!match[1]) {
                        hasDate = false;
                        date = `0000-01-01T${date}`;
                    }
                    hasTime = !!match[2];
                    // Make sure to use T instead of a space. Breaks in case of extreme values otherwise.
                    hasTime && date[10] === ' ' && (date = date.replace(' ', 'T'));
                    // Do not allow rollover hours.
                    if (match[2] && +match[2] > 23) {
                        date = '';
                    }
                    else {
                        offset = match[3] || null;
                        if (!offset && hasTime)
                            date += 'Z';
                    }
                }
                else {
                    date = '';
                }
            }
        }
        super(date);
        if (!isNaN(this.getTime())) {
            this.#hasDate = hasDate;
            this.#hasTime = hasTime;
            this.#offset = offset;
        }
    }
    isDateTime() {
        return this.#hasDate && this.#hasTime;
    }
    isLocal() {
        return !this.#hasDate || !this.#hasTime || !this.#offset;
    }
    isDate() {
        return this.#hasDate && !this.#hasTime;
    }
    isTime() {
        return this.#hasTime && !this.#hasDate;
    }
    isValid() {
        return this.#hasDate || this.#hasTime;
    }
    toISOString() {
        let iso = super.toISOString();
        // Local Date
        if (this.isDate())
            return iso.slice(0, 10);
        // Local Time
        if (this.isTime())
            return iso.slice(11, 23);
        // Local DateTime
        if (this.#offset === null)
            return iso.slice(0, -1);
        // Offset DateTime
        if (this.#offset === 'Z' || this.#offset === 'z')
            return iso;
        // This part is quite annoying: JS strips the original timezone from the ISO string representation
        // Instead of using a "modified" date and "Z", we restore the representation "as authored"
        let offset = (+(this.#offset.slice(1, 3)) * 60) + +(this.#offset.slice(4, 6));
        offset = this.#offset[0] === '-' ? offset : -offset;
        let offsetDate = new Date(this.getTime() - (offset * 60e3));
        return offsetDate.toISOString().slice(0, -1) + this.#offset;
    }
    static wrapAsOffsetDateTime(jsDate, offset = 'Z') {
        let date = new TomlDate(jsDate);
        date.#offset = offset;
        return date;
    }
    static wrapAsLocalDateTime(jsDate) {
        let date = new TomlDate(jsDate);
        date.#offset = null;
        return date;
    }
    static wrapAsLocalDate(jsDate) {
        let date = new TomlDate(jsDate);
        date.#hasTime = false;
        date.#offset = null;
        return date;
    }
    static wrapAsLocalTime(jsDate) {
        let date = new TomlDate(jsDate);
        date.#hasDate = false;
        date.#offset = null;
        return date;
    }
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/extract.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */




function isDigit(char, base = 10) {
    return base === 16
        ? (char > 0x2f && char < 0x3a) || (char > 0x40 && char < 0x47) || (char > 0x60 && char < 0x67)
        : (char > 0x2f && char < 0x30 + base);
}
function isEndOfValue(char, delim) {
    // Whitespace -- we're permissive on `\r` for performance; it'll be dealt with later anyway
    return char === 0x20 || char === 0x9 /* \t */ || char === 0xa /* \n */ || char === 0xd /* \r */ ||
        // Structure end or next value delimiter
        (delim && (char === delim || char === 0x2c /* , */)) ||
        // Comment
        char === 0x23; /* # */
}
/** @internal */
function extractValue(ctx, end) {
    let errPtr = ctx.p;
    let c = ctx.s.charCodeAt(ctx.p);
    // Structs
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
        ctx.d-- || TomlError.x('document contains excessively nested structures. aborting.', ctx);
        let value = c === 0x5b /* [ */
            ? parseArray(ctx)
            : parseInlineTable(ctx);
        ctx.d++;
        return value;
    }
    // Strings
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
        return parseString(ctx);
    }
    // Booleans
    // We can fast-path because the first character is enough to know the only possible value
    if (c === 0x74 /* t */) { // Only possible valid value is `true`
        if (ctx.s.charCodeAt(++ctx.p) !== 0x72 || ctx.s.charCodeAt(++ctx.p) !== 0x75 || ctx.s.charCodeAt(++ctx.p) !== 0x65)
            TomlError.x('invalid value', ctx, errPtr);
        return ctx.p++, true;
    }
    if (c === 0x66 /* f */) { // Only possible valid value is `false`
        if (ctx.s.charCodeAt(++ctx.p) !== 0x61 || ctx.s.charCodeAt(++ctx.p) !== 0x6c || ctx.s.charCodeAt(++ctx.p) !== 0x73 || ctx.s.charCodeAt(++ctx.p) !== 0x65)
            TomlError.x('invalid value', ctx, errPtr);
        return ctx.p++, false;
    }
    if (c === 0x2b /* + */ || c === 0x2d /* - */) {
        return parseNumber(ctx, ctx.p, ctx.s.charCodeAt(++ctx.p), 0x2c - c, end);
    }
    // Rough heuristic, but `parseDate` falls back to number parsing if it's a false positive.
    // e.g.: `a = 1\n-------------- = 1` would match this heuristic, but gracefully fallback to numbers.
    if (ctx.s.charCodeAt(ctx.p + 4) === 0x2d /* - */ && ctx.s.charCodeAt(ctx.p + 7) === 0x2d /* - */) {
        return parseDate(ctx, c, end);
    }
    // Same logic as above; `parseTime` falls back to number parsing if it's a false positive.
    if (ctx.s.charCodeAt(ctx.p + 2) === 0x3a /* : */) {
        return parseTime(ctx, c, end);
    }
    return parseNumber(ctx, ctx.p, c, 0, end);
}
// State:
// 0: init
// 1: integer
// 2: fractional dot
// 3: fractional
// 4: exponent letter
// 5: exponent
// 6: exponent sign
// 7: exponent with sign
// >9: underscore; see below
//     -> 12: was integer
//     -> 14: was fractional
//     -> 16: was exponent
// states 2-5, 14, 16 are ONLY permitted iif base === 10
function parseNumber(ctx, startPtr, startChr, sign, endChr) {
    let c = startChr;
    let state = 0;
    let hasUnderscores = false;
    // (+/-)inf
    if (c === 0x69 /* i */) {
        if (ctx.s.charCodeAt(++ctx.p) !== 0x6e || ctx.s.charCodeAt(++ctx.p) !== 0x66)
            TomlError.x('invalid value', ctx, startPtr);
        return ctx.p++, (sign || 1) / 0;
    }
    // (+/-)nan
    if (c === 0x6e /* n */) {
        if (ctx.s.charCodeAt(++ctx.p) !== 0x61 || ctx.s.charCodeAt(++ctx.p) !== 0x6e)
            TomlError.x('invalid value', ctx, startPtr);
        return ctx.p++, NaN;
    }
    // Leading zero
    // Only allowed cases: `0<EOV>`, `0.(...)`, `0e(...)`, `0x(...)`, `0b(...)`, `0o(...)`
    // FWIW, `0e(...)` is a stupid case, but it's not banned per-se so we have to parse it
    if (c === 0x30 /* 0 */) {
        if (++ctx.p >= ctx.s.length || isEndOfValue(c = ctx.s.charCodeAt(ctx.p), endChr))
            return ctx.bi === true ? 0n : 0; // note: conveniently deals with `-0`
        if (!sign) {
            if (c === 0x78 /* x */)
                return parseIntegerBaseN(ctx, startPtr, 16, endChr);
            else if (c === 0x62 /* b */)
                return parseIntegerBaseN(ctx, startPtr, 2, endChr);
            else if (c === 0x6f /* o */)
                return parseIntegerBaseN(ctx, startPtr, 8, endChr);
        }
        if (c === 0x2e /* . */)
            state = 2;
        else if (c === 0x65 /* e */ || c === 0x45 /* E */)
            state = 4;
        else
            TomlError.x('illegal leading zero', ctx, startPtr);
    }
    // If the 1st char is not a digit by now, then it's not a valid TOML value at all
    else if (!isDigit(c))
        TomlError.x('invalid value', ctx, startPtr);
    while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
        if (!state)
            state = 1; // Detects single-digit numbers we can use a fast parse path for
        // The way the states are numbered is not random: underscores are always permitted in odd-numbered states and
        // never permitted in even-numbered ones.
        if (c === 0x5f /* _ */) {
            if (!(state & 1))
                TomlError.x('illegal underscore', ctx);
            state += 11; // 11 is a marker that makes the state even and greater than 9; see the numbering + rationale above
            hasUnderscores = true;
        }
        // Transition to fractional part.
        else if (state === 1 && c === 0x2e /* . */)
            state = 2;
        // Transition to exponent part.
        else if ((state === 1 || state === 3) && (c === 0x65 /* e */ || c === 0x45 /* E */))
            state = 4;
        // + and - are permitted in state 4 only (handled before entering the function for state 0)
        else if (state === 4 && (c === 0x2b /* + */ || c === 0x2d /* - */)) {
            state = 6;
        }
        // All special cases have been handled; only digits are allowed here
        else if (!isDigit(c))
            TomlError.x(`illegal character in numeric literal`, ctx);
        // Clear state flags
        else if (state > 9)
            state -= 11;
        else if (!(state & 1))
            state++;
    }
    // Single-char number; we can fast-path these very easily.
    if (!state) {
        let val = (startChr - 0x30 /* 0 */) * (sign || 1);
        return ctx.bi === true ? BigInt(val) : val;
    }
    // Even-numbered states absolutely require a digit next; not even end of value is permitted
    if (!(state & 1))
        TomlError.x('unfinished numeric value', ctx, startPtr);
    let str = ctx.s.slice(startPtr, ctx.p);
    if (hasUnderscores)
        str = str.replaceAll('_', ''); // perf: replaceAll 1.25x faster than replace with a regex
    return state > 1
        ? parseFloat(str)
        : parseInteger(ctx, str, 10, startPtr);
}
function parseIntegerBaseN(ctx, startPtr, base, endChr) {
    let c, underscore = 1;
    while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
        if (c === 0x5f /* _ */) {
            if (underscore & 1)
                TomlError.x('illegal underscore', ctx);
            underscore = 3;
        }
        // We only need to check if the number is a valid digit, nothing else is permitted
        else if (!isDigit(c, base))
            TomlError.x(`illegal character in numeric literal`, ctx);
        // Clear underscore flag
        else if (underscore & 1)
            underscore--;
    }
    // Trailing underscore is not allowed
    if (underscore & 1)
        TomlError.x('unfinished numeric value', ctx);
    let str = ctx.s.slice(startPtr + 2, ctx.p);
    if (underscore)
        str = str.replaceAll('_', ''); // perf: replaceAll 1.25x faster than replace with a regex
    return parseInteger(ctx, str, base, startPtr);
}
function parseInteger(ctx, str, base, startPtr) {
    if (ctx.bi !== true)
        int: {
            let val = parseInt(str, base);
            if (!Number.isSafeInteger(val)) {
                if (ctx.bi)
                    break int;
                TomlError.x('integer value cannot be represented losslessly', ctx, startPtr);
            }
            return val;
        }
    return base === 10 ? BigInt(str) : BigInt((base === 2 ? '0b' : base === 8 ? '0o' : '0x') + str);
}
function parseDate(ctx, c, endChr) {
    let startPtr = ctx.p++, unsafeSeparator;
    if (!isDigit(c) ||
        !isDigit(ctx.s.charCodeAt(ctx.p++)) ||
        !isDigit(ctx.s.charCodeAt(ctx.p++)) ||
        !isDigit(ctx.s.charCodeAt(ctx.p++))) {
        return parseNumber(ctx, ctx.p = startPtr, c, 0, endChr);
    }
    ctx.p += 5;
    if (!isDigit(ctx.s.charCodeAt(ctx.p++)))
        TomlError.x('invalid date-time: date part is malformed', ctx, startPtr);
    if (ctx.p >= ctx.s.length || (((c = ctx.s.charCodeAt(ctx.p)) !== 0x20 || (unsafeSeparator = true, !isDigit(ctx.s.charCodeAt(ctx.p + 1)))) && c !== 0x54 /* T */ && c !== 0x74 /* t */)) {
        let t = ctx.s.slice(startPtr, ctx.p);
        return readDate(ctx, t, 3, false, startPtr);
    }
    if (ctx.s.charCodeAt(ctx.p += 3) !== 0x3a /* : */)
        TomlError.x('invalid date-time: time part is malformed', ctx, startPtr);
    if (ctx.s.charCodeAt(ctx.p += 3) === 0x3a /* : */)
        ctx.p += 3;
    if (ctx.s.charCodeAt(ctx.p) === 0x2e /* . */)
        while (isDigit(ctx.s.charCodeAt(++ctx.p)))
            ;
    if (c = ctx.s.charCodeAt(ctx.p)) {
        if (c === 0x5a /* Z */ || c === 0x7a /* z */) {
            let t = ctx.s.slice(startPtr, ++ctx.p);
            return readDate(ctx, t, 1, unsafeSeparator, startPtr, '[+00:00]');
        }
        if (c === 0x2b /* + */ || c === 0x2d /* - */) {
            // Temporal's ZonedDateTime is weird asf when it comes to dealing with traditional offsets...
            // It's 1.2x faster to allocate a new string to pass to ZDT than use Instant.toZonedDateTimeISO
            let t = ctx.s.slice(startPtr, ctx.p += 6);
            return readDate(ctx, t, 1, unsafeSeparator, startPtr, !ctx.ld && ('[' + ctx.s.slice(ctx.p - 6, ctx.p) + ']'));
        }
    }
    let t = ctx.s.slice(startPtr, ctx.p);
    return readDate(ctx, t, 2, unsafeSeparator, startPtr);
}
function parseTime(ctx, c, endChr) {
    let start = ctx.p;
    if (!isDigit(c) || !isDigit(ctx.s.charCodeAt(++ctx.p))) {
        return parseNumber(ctx, --ctx.p, c, 0, endChr);
    }
    if (ctx.s.charCodeAt(ctx.p += 4) === 0x3a /* : */)
        ctx.p += 3;
    if (ctx.s.charCodeAt(ctx.p) === 0x2e /* . */)
        while (isDigit(ctx.s.charCodeAt(++ctx.p)))
            ;
    let t = ctx.s.slice(start, ctx.p);
    return readDate(ctx, t, 4, false, start);
}
function readDate(ctx, str, type, unsafeDelim, errPtr, temporalSuffix) {
    if (ctx.ld) {
        let date = new TomlDate(str, type, unsafeDelim);
        if (!date.isValid())
            TomlError.x('invalid date', ctx, errPtr);
        return date;
    }
    try {
        if (temporalSuffix)
            str += temporalSuffix;
        switch (type) {
            case 1: return Temporal.ZonedDateTime.from(str);
            case 2: return Temporal.PlainDateTime.from(str);
            case 3: return Temporal.PlainDate.from(str);
            case 4: return Temporal.PlainTime.from(str);
        }
    }
    catch (e) {
        TomlError.x(e instanceof Error ? e.message : '' + e, ctx, errPtr);
    }
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/util.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */

/** @internal */
function skipComment(ctx) {
    for (; ctx.p < ctx.s.length; ctx.p++) {
        let c = ctx.s.charCodeAt(ctx.p);
        if (c === 0xa /* \n */)
            break;
        if (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */) {
            ctx.p++;
            break;
        }
        if ((c < 0x20 && c !== 0x9 /* \t */) || c === 0x7f) {
            TomlError.x('control characters are not allowed in comments', ctx);
        }
    }
}
/** @internal */
function skipVoid(ctx, banNewLines, banComments) {
    let c;
    while (ctx.p < ctx.s.length) {
        while (ctx.p < ctx.s.length && ((c = ctx.s.charCodeAt(ctx.p)) === 0x20 ||
            c === 0x9 /* \t */ ||
            (!banNewLines &&
                (c === 0xa /* \n */ || (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */)))))
            ctx.p++;
        if (banComments || c !== 0x23 /* # */)
            break;
        skipComment(ctx);
    }
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/struct.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */




/** @internal */
function parseKey(ctx, end = 0x3d /* = */) {
    // States:
    // 0: before first char
    // 1: parsing bare key
    // 2: after key component
    let startPtr;
    let state = 0;
    let parsed = [];
    let sliceStart;
    let c = ctx.s.charCodeAt(startPtr = ctx.p);
    do {
        // End of key
        if (c === end) {
            if (!state)
                TomlError.x('unexpected end of key', ctx);
            if (state === 1)
                parsed.push(ctx.s.slice(sliceStart, ctx.p));
            return ctx.p++, parsed;
        }
        // Dotted key separator
        else if (c === 0x2e /* . */) {
            if (!state)
                TomlError.x('illegal empty bare key', ctx);
            if (state === 1)
                parsed.push(ctx.s.slice(sliceStart, ctx.p));
            state = 0;
        }
        // Quoted key
        else if (!state && (c === 0x22 /* " */ || c === 0x27 /* ' */)) {
            if (c === ctx.s.charCodeAt(ctx.p + 1) && c === ctx.s.charCodeAt(ctx.p + 2))
                TomlError.x('illegal quoted key: multiline strings are not allowed', ctx);
            parsed.push(parseString(ctx));
            state = 2;
            ctx.p--;
        }
        // Whitespace; no-op in state 0 and 2, end of bare key in state 1
        else if (c === 0x20 || c === 0x9 /* \t */) {
            if (state === 1) {
                parsed.push(ctx.s.slice(sliceStart, ctx.p));
                state = 2;
            }
        }
        // If state is post-key, no character is allowed; otherwise ensure it's a bare-key component
        else if (state === 2 || (c < 0x30 && c !== 0x2d /* - */) || (c > 0x39 && c < 0x41) || (c > 0x5a && c < 0x61 && c !== 0x5f /* _ */) || c > 0x7a) {
            TomlError.x('illegal character in key', ctx);
        }
        // Illegal character
        else if (!state) {
            state = 1;
            sliceStart = ctx.p;
        }
    } while (c = ctx.s.charCodeAt(++ctx.p));
    TomlError.x('incomplete key-value: cannot find end of key', ctx, startPtr);
}
/** @internal */
function parseInlineTable(ctx) {
    let startPtr = ctx.p++;
    let res = Object.create(null);
    let seen = new Set();
    let c;
    while (ctx.p < ctx.s.length) {
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p)) === 0x7d /* } */) {
            ctx.p++;
            return res;
        }
        let k;
        let t = res;
        let hasOwn = false;
        let errPtr = ctx.p;
        let key = parseKey(ctx);
        for (let i = 0; i < key.length; i++) {
            if (i)
                t = hasOwn ? t[k] : (t[k] = Object.create(null));
            k = key[i];
            if ((hasOwn = Object.hasOwn(t, k)) && (typeof t[k] !== 'object' || seen.has(t[k]))) {
                TomlError.x('trying to redefine an already defined value', ctx, errPtr);
            }
            let unsafe = k === '__proto__';
            if (ctx.uk && (unsafe || k === 'constructor')) {
                t = ctx.uk !== 1 && TomlError.x('document contains an unsafe property', ctx, errPtr);
                break;
            }
            if (!hasOwn && unsafe) {
                Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
            }
        }
        if (hasOwn) {
            TomlError.x('trying to redefine an already defined value', ctx, errPtr);
        }
        skipVoid(ctx, true, true);
        let value = extractValue(ctx, 0x7d /* } */);
        if (t && typeof (t[k] = value) === 'object')
            seen.add(value);
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p++)) === 0x7d /* } */) {
            return res;
        }
        if (c !== 0x2c /* , */)
            TomlError.x('expected comma or end of structure', ctx, ctx.p - 1);
    }
    TomlError.x('unfinished table', ctx, startPtr);
}
/** @internal */
function parseArray(ctx) {
    let startPtr = ctx.p++;
    let res = [];
    let c;
    while (ctx.p < ctx.s.length) {
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p)) === 0x5d /* ] */) {
            ctx.p++;
            return res;
        }
        res.push(extractValue(ctx, 0x5d /* ] */));
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p++)) === 0x5d /* ] */) {
            return res;
        }
        if (c !== 0x2c /* , */)
            TomlError.x('expected comma or end of structure', ctx, ctx.p - 1);
    }
    TomlError.x('unfinished array', ctx, startPtr);
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/parse.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */




function peekTable(ctx, key, table, meta, type) {
    let t = table;
    let m = meta;
    let k;
    let hasOwn = false;
    let state;
    for (let i = 0; i < key.length; i++) {
        if (i) {
            t = hasOwn ? t[k] : (t[k] = Object.create(null));
            m = (state = m[k]).c;
            if (type === 0 /* Type.DOTTED */ && (state.t === 1 /* Type.EXPLICIT */ || state.t === 2 /* Type.ARRAY */)) {
                return null;
            }
            if (state.t === 2 /* Type.ARRAY */) {
                let l = t.length - 1;
                t = t[l];
                m = m[l].c;
            }
        }
        k = key[i];
        if ((hasOwn = Object.hasOwn(t, k)) && m[k]?.t === 0 /* Type.DOTTED */ && m[k]?.d) {
            return null;
        }
        if (!hasOwn) {
            let unsafe = k === '__proto__';
            if (ctx.uk && (unsafe || k === 'constructor'))
                return false;
            if (unsafe) {
                Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
                Object.defineProperty(m, k, { enumerable: true, configurable: true, writable: true });
            }
            m[k] = {
                t: i < key.length - 1 && type === 2 /* Type.ARRAY */
                    ? 3 /* Type.ARRAY_DOTTED */ : type,
                d: false,
                i: 0,
                c: Object.create(null),
            };
        }
    }
    state = m[k];
    if (state.t !== type && !(type === 1 /* Type.EXPLICIT */ && state.t === 3 /* Type.ARRAY_DOTTED */)) {
        // Bad key type!
        return null;
    }
    if (type === 2 /* Type.ARRAY */) {
        if (!state.d) {
            state.d = true;
            t[k] = [];
        }
        t[k].push(t = Object.create(null));
        state.c[state.i++] = (state = { t: 1 /* Type.EXPLICIT */, d: false, i: 0, c: Object.create(null) });
    }
    if (state.d) {
        // Redefining a table!
        return null;
    }
    state.d = true;
    if (type === 1 /* Type.EXPLICIT */) {
        t = hasOwn ? t[k] : (t[k] = Object.create(null));
    }
    else if (type === 0 /* Type.DOTTED */ && hasOwn) {
        return null;
    }
    return [k, t, state.c];
}
function validateTablePeek(ctx, peek, ptr) {
    if (peek === null || ctx.uk === 2)
        TomlError.x(peek === null
            ? 'trying to redefine an already defined table or value'
            : 'document contains an unsafe property', ctx, ptr);
}
function parse(toml, options = {}) {
    let ctx = {
        s: toml,
        p: 0,
        d: options.maxDepth ?? 1000,
        bi: options.integersAsBigInt ?? false,
        ld: options.useLegacyDate ?? true,
        uk: options.unsafeKeyBehaviour === 'throw' ? 2 : options.unsafeKeyBehaviour === 'drop' ? 1 : 0,
    };
    let res = Object.create(null);
    let meta = Object.create(null);
    let tmp;
    let skipping = false;
    let tbl = res;
    let m = meta;
    // BOM is allowed, skip.
    // JS is UTF-16, so we have to check for the UTF-16 BOM instead of the UTF-8 BOM sequence!
    if (toml.charCodeAt(0) === 0xfeff)
        ctx.p++;
    skipVoid(ctx);
    while (ctx.p < toml.length) {
        if (toml.charCodeAt(ctx.p) === 0x5b /* [ */) {
            let isTableArray = toml.charCodeAt(++ctx.p) === 0x5b; /* [ */
            tmp = ctx.p += +isTableArray;
            skipping = false;
            let k = parseKey(ctx, 0x5d /* ] */);
            if (isTableArray) {
                if (toml.charCodeAt(ctx.p) !== 0x5d /* ] */) {
                    TomlError.x('expected end of table array declaration', ctx);
                }
                ctx.p++;
            }
            let p = peekTable(ctx, k, res, meta, isTableArray ? 2 /* Type.ARRAY */ : 1 /* Type.EXPLICIT */);
            if (!p) {
                validateTablePeek(ctx, p, tmp);
                skipping = true;
            }
            else {
                m = p[2];
                tbl = p[1];
            }
        }
        else {
            tmp = ctx.p;
            let k = parseKey(ctx);
            let p = peekTable(ctx, k, tbl, m, 0 /* Type.DOTTED */);
            if (!p && !skipping)
                validateTablePeek(ctx, p, tmp);
            skipVoid(ctx, true, true);
            let v = extractValue(ctx, void 0);
            if (p && !skipping)
                p[1][p[0]] = v;
        }
        skipVoid(ctx, true);
        if (ctx.p < toml.length && (tmp = toml.charCodeAt(ctx.p)) !== 0xa /* \n */ && (tmp !== 0xd /* \r */ || toml.charCodeAt(ctx.p + 1) !== 0xa /* \n */)) {
            TomlError.x('each key-value declaration must be followed by an end-of-line', ctx);
        }
        skipVoid(ctx);
    }
    return res;
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/stringify.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
let BARE_KEY = /^[a-z0-9-_]+$/i;
let HAS_WELLFORMED = !!(''.isWellFormed);
function extendedTypeOf(obj) {
    let type = typeof obj;
    if (type === 'object') {
        if (Array.isArray(obj))
            return 'array';
        if (typeof obj.getUTCDate === 'function' && obj instanceof Date)
            return 'date';
        if (globalThis.Temporal) {
            if (obj.until) {
                if (obj instanceof Temporal.ZonedDateTime)
                    return 'temporal/tz+uc';
                if (obj instanceof Temporal.PlainDateTime || obj instanceof Temporal.PlainDate)
                    return 'temporal/uc';
                if (obj instanceof Temporal.PlainTime || obj instanceof Temporal.Instant)
                    return 'temporal';
                if (obj instanceof Temporal.PlainYearMonth)
                    return 'temporal/x';
            }
            else if ((obj.toPlainDate && obj instanceof Temporal.PlainMonthDay) ||
                (obj.negated && obj instanceof Temporal.Duration)) {
                return 'temporal/x';
            }
        }
    }
    return type;
}
function isArrayOfTables(obj) {
    for (let i = 0; i < obj.length; i++) {
        if (extendedTypeOf(obj[i]) !== 'object')
            return false;
    }
    return obj.length != 0;
}
function formatWellFormedStringUnchecked(s) {
    return JSON.stringify(s).replaceAll('\x7f', '\\u007f');
}
function formatString(s) {
    return formatWellFormedStringUnchecked(HAS_WELLFORMED ? s.toWellFormed() : s);
}
function formatKey(s) {
    if (BARE_KEY.test(s))
        return s;
    if (HAS_WELLFORMED && !s.isWellFormed())
        throw new RangeError('key contains illegal lone surrogates');
    return formatWellFormedStringUnchecked(s);
}
function stringifyValue(val, type, depth, numberAsFloat, strictTemporal) {
    if (depth === 0) {
        throw new Error('Could not stringify the object: maximum object depth exceeded');
    }
    switch (type) {
        // @ts-expect-error -- intentional fallthrough case
        case 'number':
            if (isNaN(val))
                return 'nan';
            if (val === Infinity)
                return 'inf';
            if (val === -Infinity)
                return '-inf';
            if (Number.isInteger(val) && (numberAsFloat || !Number.isSafeInteger(val)))
                return val.toFixed(1);
        case 'bigint':
        case 'boolean':
        case 'temporal':
            return val.toString();
        case 'string':
            return formatString(val);
        case 'date':
            if (isNaN(val.getTime()))
                throw new TypeError('cannot serialize invalid date');
            return val.toISOString();
        case 'object':
            return stringifyInlineTable(val, depth, numberAsFloat, strictTemporal);
        case 'array':
            return stringifyArray(val, depth, numberAsFloat, strictTemporal);
        // @ts-expect-error -- intentional fallthrough case
        case 'temporal/tz+uc':
            if (strictTemporal) {
                let tz = val.timeZoneId;
                let tzc = tz.charCodeAt(0);
                if (
                // Classic offset
                tzc !== 0x2b /* + */ && tzc !== 0x2d /* - */ &&
                    (
                    // Fast pre-check pass; see below for the actually accepted values
                    (tzc !== 0x55 /* U */ && tzc !== 0x47 /* G */ && tzc !== 0x5a /* Z */ && tzc !== 0x45 /* E */) ||
                        (
                        // UTC and its aliases; Temporal implementations don't all canonicalise unfortunately
                        tz !== 'UTC' && tz !== 'UCT' && tz !== 'Universal' && tz !== 'Zulu' &&
                            // GMT is a TZ but it's for all intents and purposes equivalent to UTC. Safe to downgrade.
                            !tz.startsWith('GMT') && tz !== 'Greenwich' &&
                            // Etc/* are all safe to downgrade to offset (either UTC, GMT, or offset)
                            !tz.startsWith('Etc/')))) {
                    throw new TypeError('Temporal objects with an IANA timezone are not allowed in Temporal strict mode');
                }
            }
        case 'temporal/uc':
            if (strictTemporal && val.calendarId !== 'iso8601')
                throw new TypeError('Temporal objects with a non-default calendar are not allowed in Temporal strict mode');
            return val.toString({
                calendarName: 'never',
                timeZoneName: 'never',
            });
        case 'temporal/x':
            throw new TypeError('Unsupported ' + val[Symbol.toStringTag]);
    }
}
function stringifyInlineTable(obj, depth, numberAsFloat, strictTemporal) {
    let keys = Object.keys(obj);
    if (keys.length === 0)
        return '{}';
    let res = '{ ';
    for (let i = 0; i < keys.length; i++) {
        let k = keys[i];
        if (i)
            res += ', ';
        res += formatKey(k) + ' = ' + stringifyValue(obj[k], extendedTypeOf(obj[k]), depth - 1, numberAsFloat, strictTemporal);
    }
    return res + ' }';
}
function stringifyArray(array, depth, numberAsFloat, strictTemporal) {
    if (array.length === 0)
        return '[]';
    let res = '[ ';
    for (let i = 0; i < array.length; i++) {
        if (i)
            res += ', ';
        if (array[i] === null || array[i] === void 0) {
            throw new TypeError('arrays cannot contain null or undefined values');
        }
        res += stringifyValue(array[i], extendedTypeOf(array[i]), depth - 1, numberAsFloat, strictTemporal);
    }
    return res + ' ]';
}
function stringifyArrayTable(array, key, depth, numberAsFloat, strictTemporal) {
    if (depth === 0) {
        throw new Error('Could not stringify the object: maximum object depth exceeded');
    }
    let res = '';
    for (let i = 0; i < array.length; i++) {
        res += `${res && '\n'}[[${key}]]\n`;
        res += stringifyTable(0, array[i], key, depth, numberAsFloat, strictTemporal);
    }
    return res;
}
function stringifyTable(tableKey, obj, prefix, depth, numberAsFloat, strictTemporal) {
    if (depth === 0) {
        throw new Error('Could not stringify the object: maximum object depth exceeded');
    }
    let preamble = '';
    let tables = '';
    let keys = Object.keys(obj);
    for (let i = 0; i < keys.length; i++) {
        let k = keys[i];
        if (obj[k] !== null && obj[k] !== void 0) {
            let type = extendedTypeOf(obj[k]);
            if (type === 'symbol' || type === 'function') {
                throw new TypeError(`cannot serialize values of type '${type}'`);
            }
            let key = formatKey(k);
            if (type === 'array' && isArrayOfTables(obj[k])) {
                tables += (tables && '\n') + stringifyArrayTable(obj[k], prefix ? `${prefix}.${key}` : key, depth - 1, numberAsFloat, strictTemporal);
            }
            else if (type === 'object') {
                let tblKey = prefix ? `${prefix}.${key}` : key;
                tables += (tables && '\n') + stringifyTable(tblKey, obj[k], tblKey, depth - 1, numberAsFloat, strictTemporal);
            }
            else {
                preamble += key;
                preamble += ' = ';
                preamble += stringifyValue(obj[k], type, depth, numberAsFloat, strictTemporal);
                preamble += '\n';
            }
        }
    }
    if (tableKey && (preamble || !tables)) // Create table only if necessary
        preamble = preamble ? `[${tableKey}]\n${preamble}` : `[${tableKey}]`;
    return preamble && tables
        ? `${preamble}\n${tables}`
        : preamble || tables;
}
function stringify(obj, { maxDepth = 1000, numbersAsFloat = false, strictTemporal = false } = {}) {
    if (extendedTypeOf(obj) !== 'object') {
        throw new TypeError('stringify can only be called with an object');
    }
    let str = stringifyTable(0, obj, '', maxDepth, numbersAsFloat, strictTemporal);
    if (str[str.length - 1] !== '\n')
        return str + '\n';
    return str;
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/index.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */





/** @deprecated use `import * as ... from 'smol-toml'` instead */
/* harmony default export */ const dist = ({ parse: parse, stringify: stringify, TomlDate: TomlDate, TomlError: TomlError });

;// CONCATENATED MODULE: ./build/src/config/read-config.js





// wrangler's removeBOMAndValidate rejects these outright rather than misreading the file.
const UNSUPPORTED_BOMS = [
    { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'UTF-32 BE' },
    { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'UTF-32 LE' },
    { bytes: [0xfe, 0xff], encoding: 'UTF-16 BE' },
    { bytes: [0xff, 0xfe], encoding: 'UTF-16 LE' },
];
function configFormat(configPath) {
    if (configPath.endsWith('.toml'))
        return 'toml';
    if (configPath.endsWith('.jsonc'))
        return 'jsonc';
    if (configPath.endsWith('.json'))
        return 'json';
    return null;
}
/** Reads and parses a wrangler config file. Any problem is a UsageError naming the file. */
function readConfig(configPath) {
    const format = configFormat(configPath);
    if (format === null) {
        throw new UsageError(`config: "${configPath}" is not a wrangler configuration file: the name must end in .toml, .json or .jsonc (wrangler ignores any other file and would find no D1 databases).`);
    }
    const text = readText(configPath);
    const raw = format === 'toml' ? parseTomlText(text, configPath) : parseJsoncText(text, configPath);
    if (!isPlainObject(raw)) {
        throw new UsageError(`config: ${configPath} must contain an object at the top level, but it holds ${describe(raw)}.`);
    }
    const environments = new Map();
    const env = raw['env'];
    if (env !== undefined) {
        if (!isPlainObject(env)) {
            throw new UsageError(`config: "env" in ${configPath} must be a table of environments (e.g. [env.production]), but it is ${describe(env)}.`);
        }
        for (const [envName, section] of Object.entries(env)) {
            if (!isPlainObject(section)) {
                throw new UsageError(`config: "env.${envName}" in ${configPath} must be a table/object, but it is ${describe(section)}.`);
            }
            environments.set(envName, { d1Databases: section['d1_databases'] });
        }
    }
    return {
        path: configPath,
        format,
        name: typeof raw['name'] === 'string' ? raw['name'] : undefined,
        accountId: typeof raw['account_id'] === 'string' ? raw['account_id'] : undefined,
        isPages: raw['pages_build_output_dir'] !== undefined,
        topLevel: { d1Databases: raw['d1_databases'] },
        environments,
    };
}
function readText(configPath) {
    let buffer;
    try {
        buffer = external_node_fs_.readFileSync(configPath);
    }
    catch (error) {
        throw new UsageError(`config: could not read ${configPath}: ${getErrorMessage(error)}`);
    }
    for (const bom of UNSUPPORTED_BOMS) {
        if (buffer.length >= bom.bytes.length && bom.bytes.every((b, i) => buffer[i] === b)) {
            throw new UsageError(`config: ${configPath} is encoded as ${bom.encoding} (it starts with a ${bom.encoding} byte order mark); wrangler refuses it too. Save the file as UTF-8.`);
        }
    }
    const text = buffer.toString('utf8');
    // Same as wrangler: a UTF-8 BOM is dropped before parsing.
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
function parseTomlText(text, file) {
    try {
        return parse(text);
    }
    catch (error) {
        if (error instanceof TomlError) {
            // smol-toml appends a code frame after the first line; the first line is the message itself.
            const message = error.message.split('\n')[0];
            throw new UsageError(`config: ${file}:${error.line}:${error.column}: invalid TOML: ${message}`);
        }
        throw new UsageError(`config: ${file}: invalid TOML: ${getErrorMessage(error)}`);
    }
}
function parseJsoncText(text, file) {
    const errors = [];
    const data = main.parse(text, errors, { allowTrailingComma: true, disallowComments: false });
    if (errors.length > 0) {
        const first = errors[0];
        const { line, column } = lineColumn(text, first.offset);
        const kind = external_node_path_.extname(file) === '.jsonc' ? 'JSONC' : 'JSON';
        throw new UsageError(`config: ${file}:${line}:${column}: invalid ${kind}: ${main.printParseErrorCode(first.error)} (comments and trailing commas are allowed, as wrangler allows them).`);
    }
    return data;
}
/** 1-based line and column of a UTF-16 offset. */
function lineColumn(text, offset) {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset && i < text.length; i++) {
        if (text.charCodeAt(i) === 10) {
            line++;
            lineStart = i + 1;
        }
    }
    return { line, column: offset - lineStart + 1 };
}
function isPlainObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
/** Short description of a config value for error messages. */
function describe(value) {
    if (value === undefined)
        return 'none (the key is missing)';
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return `an array (${truncate(JSON.stringify(value))})`;
    if (value instanceof Date)
        return `a date (${value.toString()})`;
    if (typeof value === 'object')
        return `an object (${truncate(JSON.stringify(value))})`;
    return `${typeof value} ${truncate(JSON.stringify(value))}`;
}
function truncate(s, max = 120) {
    if (s === undefined)
        return 'undefined';
    return s.length > max ? `${s.slice(0, max)}…` : s;
}

;// CONCATENATED MODULE: ./build/src/config/resolve-databases.js





const DEFAULT_MIGRATIONS_DIR = 'migrations';
const DEFAULT_MIGRATIONS_TABLE = 'd1_migrations';
/**
 * The D1 databases one run works on, resolved from the config the way wrangler resolves them for
 * `wrangler d1 migrations apply <database> [--env <environment>]`.
 */
function resolveDatabases(opts) {
    const cwd = external_node_path_.resolve(opts.cwd);
    // wrangler treats `--env ""` as no environment (its check is `if (envName)`).
    if (opts.environment === '')
        opts = { ...opts, environment: null };
    const config = readConfig(external_node_path_.resolve(cwd, opts.configPath));
    const fileName = external_node_path_.basename(config.path);
    // wrangler validates the top-level bindings even when an environment is selected.
    const topLevel = parseBindings(config.topLevel.d1Databases, 'd1_databases', config.path);
    const { bindings, field } = selectScope(config, topLevel, opts.environment);
    if (bindings.length === 0) {
        const envsWithD1 = [...config.environments].filter(([, scope]) => Array.isArray(scope.d1Databases) && scope.d1Databases.length > 0).map(([n]) => `"${n}"`);
        const elsewhere = opts.environment === null && envsWithD1.length > 0
            ? `Only environments declare D1 databases here (${envsWithD1.join(', ')}): set environment to one of them. Or add a top-level one, e.g.:\n`
            : 'Add one, e.g.:\n';
        throw new UsageError(`config: ${config.path} declares no D1 database${opts.environment === null ? ' at the top level' : ` for environment "${opts.environment}"`} ` +
            `("${field}" is missing or empty), so there are no migrations to validate or apply. ${elsewhere}` +
            snippet(config, opts.environment, [{ binding: 'DB', database_name: '<database name>', database_id: '<database id>' }]));
    }
    checkUniqueBindings(bindings, field, config.path);
    const selected = selectDatabases(bindings, opts.database, field, fileName, opts.environment);
    return selected.map((b) => toTarget(b, config, cwd, opts));
}
function selectScope(config, topLevel, environment) {
    if (environment === null)
        return { bindings: topLevel, field: 'd1_databases' };
    const scope = config.environments.get(environment);
    if (scope === undefined) {
        // wrangler falls back to the top level for Pages (production/preview need not be declared).
        if (config.isPages)
            return { bindings: topLevel, field: 'd1_databases' };
        const names = [...config.environments.keys()];
        const exists = names.length > 0
            ? `The environments that exist are: ${names.map((n) => `"${n}"`).join(', ')}.`
            : `The file defines no environments at all (wrangler would only warn and use the top-level d1_databases; this action refuses to guess which database you meant).`;
        throw new UsageError(`environment: "${environment}" is not defined in ${config.path} (no [env.${environment}] section). ${exists} ` +
            `Set environment to one of them, or leave it empty for the top level.`);
    }
    const field = `env.${environment}.d1_databases`;
    if (scope.d1Databases === undefined) {
        if (topLevel.length > 0) {
            throw new UsageError(`config: environment "${environment}" in ${config.path} has no d1_databases. d1_databases is not inherited from the top level by [env.${environment}]: ` +
                `wrangler gives an environment only the D1 bindings declared inside it, so \`--env ${environment}\` sees no database ` +
                `(wrangler warns "d1_databases" exists at the top level, but not on "env.${environment}"). Add the ${environment} database to the environment, e.g.:\n` +
                snippet(config, environment, topLevel) +
                `\n(use the database_name and database_id of the ${environment} database; they are usually not the top-level ones).`);
        }
        return { bindings: [], field };
    }
    return { bindings: parseBindings(scope.d1Databases, field, config.path), field };
}
/** Validates a `d1_databases` value as wrangler's validateD1Binding does, keeping only what D1 needs. */
function parseBindings(value, field, file) {
    if (value === undefined)
        return [];
    if (!Array.isArray(value)) {
        throw new UsageError(`config: "${field}" in ${file} must be an array of tables/objects (in TOML: [[${field}]]), but it is ${describe(value)}.`);
    }
    return value.map((entry, i) => {
        const where = `"${field}[${i}]" in ${file}`;
        if (!isPlainObject(entry)) {
            throw new UsageError(`config: ${where} must be an object with a "binding", but it is ${describe(entry)}.`);
        }
        if (typeof entry['binding'] !== 'string' || entry['binding'] === '') {
            throw new UsageError(`config: ${where} must have a string "binding" (the name the Worker uses, e.g. "DB"), but it has ${describe(entry['binding'])}.`);
        }
        const out = { binding: entry['binding'] };
        for (const key of ['database_name', 'database_id', 'preview_database_id', 'migrations_dir', 'migrations_table', 'migrations_pattern']) {
            const v = entry[key];
            if (v === undefined)
                continue;
            if (typeof v !== 'string') {
                throw new UsageError(`config: "${key}" of ${where} must be a string, but it is ${describe(v)}.`);
            }
            out[key] = v;
        }
        return out;
    });
}
function checkUniqueBindings(bindings, field, file) {
    const seen = new Map();
    bindings.forEach((b, i) => {
        const first = seen.get(b.binding);
        if (first !== undefined) {
            throw new UsageError(`config: "${field}" in ${file} declares the binding "${b.binding}" twice (entries ${first} and ${i}). ` +
                `wrangler rejects this ("${b.binding} assigned to multiple D1 Database bindings"): bindings must have unique names. Rename or remove one of them.`);
        }
        seen.set(b.binding, i);
    });
}
function selectDatabases(bindings, database, field, fileName, environment) {
    const available = bindings.map(label).join(', ');
    const scope = environment === null ? 'at the top level' : `in environment "${environment}"`;
    if (database === undefined || database.trim() === '') {
        if (bindings.length === 1)
            return bindings;
        throw new UsageError(`database: ${fileName} declares ${bindings.length} D1 databases ${scope} (${available}). ` +
            `Set database to the binding or database_name of the one to use, or to "all" for every one.`);
    }
    if (database === 'all')
        return bindings;
    // Same rule as wrangler's getDatabaseInfoFromConfig: the first entry whose database_name or binding matches.
    const match = bindings.find((b) => database === b.database_name || database === b.binding);
    if (match === undefined) {
        throw new UsageError(`database: "${database}" is not a D1 binding or database_name ${scope} of ${fileName} ("${field}"). ` +
            `Available: ${available}. Set database to one of them, or to "all".`);
    }
    return [match];
}
function label(b) {
    return b.database_name === undefined ? `binding "${b.binding}"` : `binding "${b.binding}" (database_name "${b.database_name}")`;
}
function toTarget(b, config, cwd, opts) {
    const fileName = external_node_path_.basename(config.path);
    const configDir = external_node_path_.dirname(config.path);
    const override = opts.migrationsDir !== undefined && opts.migrationsDir.trim() !== '' ? opts.migrationsDir : undefined;
    // wrangler 4.86: `migrations_dir || "migrations"`, relative to the config file's directory.
    const setting = override ?? (b.migrations_dir || DEFAULT_MIGRATIONS_DIR);
    const abs = external_node_path_.resolve(override !== undefined ? cwd : configDir, setting);
    const source = override !== undefined
        ? `the migrations-dir input "${override}" (relative to the working directory ${cwd})`
        : b.migrations_dir
            ? `migrations_dir "${b.migrations_dir}" of binding "${b.binding}" in ${config.path} (relative to the config file's directory ${configDir})`
            : `the default migrations_dir "migrations" of binding "${b.binding}" (relative to the config file's directory ${configDir}; set migrations_dir in ${fileName} to choose another)`;
    const pattern = resolvePattern(b, fileName, override);
    checkMigrationsDir(abs, cwd, source, opts.allowMissingDir ?? false);
    const target = {
        environment: opts.environment,
        binding: b.binding,
        databaseName: b.database_name ?? b.binding,
        migrationsDirSetting: setting,
        migrationsDirAbs: abs,
        migrationsDir: toPosixRelative(cwd, abs),
        migrationsTable: b.migrations_table || DEFAULT_MIGRATIONS_TABLE,
        configPath: config.path,
    };
    if (b.database_id !== undefined)
        target.databaseId = b.database_id;
    if (b.preview_database_id !== undefined)
        target.previewDatabaseId = b.preview_database_id;
    if (pattern !== undefined)
        target.migrationsPattern = pattern;
    return target;
}
/**
 * `migrations_pattern` checked exactly as newest wrangler's resolveMigrationsConfig checks it (same
 * messages), then re-rooted on the migrations-dir override when one is given so that it always starts
 * with `normalizeRelativePath(migrationsDirSetting)/`.
 */
function resolvePattern(b, fileName, override) {
    const rawPattern = b.migrations_pattern;
    if (rawPattern === undefined)
        return undefined;
    if (b.migrations_dir === undefined) {
        throw new UsageError(`config: You have set \`migrations_pattern: "${rawPattern}"\` in your ${fileName} file but have not set \`migrations_dir\` for this D1 binding ("${b.binding}").\n\n` +
            `When \`migrations_pattern\` is set, \`migrations_dir\` must also be set, and \`migrations_pattern\` must start with \`\${migrations_dir}/\`. Add a \`migrations_dir\` entry to your ${fileName} file (for example, \`"migrations_dir": "migrations"\`).`);
    }
    const dir = normalizeRelativePath(b.migrations_dir);
    const pattern = normalizeRelativePath(rawPattern);
    const relative = stripDirPrefix(pattern, dir);
    if (relative === null) {
        const suggested = normalizeRelativePath(`${dir}/*.sql`);
        throw new UsageError(`config: The configured \`migrations_pattern: "${rawPattern}"\` in your ${fileName} file must start with \`${dir}/\` to match \`"migrations_dir": "${dir}"\` (binding "${b.binding}").\n\n` +
            `Either change \`migrations_pattern\` so it starts with \`${dir}/\` (for example, \`"${suggested}"\`), or change \`migrations_dir\` to match the start of your pattern.`);
    }
    if (override === undefined)
        return pattern;
    const newDir = normalizeRelativePath(override);
    return newDir === '.' ? relative : `${newDir}/${relative}`;
}
/** The pattern relative to `dir` (both normalized), or null when it does not start with `dir/`. */
function stripDirPrefix(pattern, dir) {
    if (dir === '.')
        return pattern;
    const prefix = `${dir}/`;
    return pattern.startsWith(prefix) ? pattern.slice(prefix.length) : null;
}
function checkMigrationsDir(abs, cwd, source, allowMissing) {
    if (!isInside(cwd, abs)) {
        throw new UsageError(`migrations-dir: ${source} resolves to ${abs}, which is outside the working directory ${cwd}. ` +
            `Migrations are only read from inside the working directory; set working-directory to a directory that contains them.`);
    }
    let stat;
    try {
        stat = external_node_fs_.statSync(abs);
    }
    catch {
        if (allowMissing)
            return;
        throw new UsageError(`migrations-dir: the migrations directory does not exist: expected ${abs}, from ${source}. ` +
            `wrangler would stop with "No migrations present at ${abs}." Create the directory, or point migrations_dir (or the migrations-dir input) at the folder that holds your .sql files.`);
    }
    if (!stat.isDirectory()) {
        throw new UsageError(`migrations-dir: ${abs} (from ${source}) is a file, not a directory. Point it at the folder that holds your .sql files.`);
    }
    // A symlink inside the working directory may lead anywhere; judge where it really points.
    const realCwd = external_node_fs_.realpathSync(cwd);
    const realDir = external_node_fs_.realpathSync(abs);
    if (!isInside(realCwd, realDir)) {
        throw new UsageError(`migrations-dir: ${source} resolves through a symbolic link to ${realDir}, which is outside the working directory ${realCwd}. ` +
            `Migrations are only read from inside the working directory; replace the link with the real folder or set working-directory accordingly.`);
    }
}
/** TOML or JSON text to add for `environment` (null = top level), using `bindings` as the template. */
function snippet(config, environment, bindings) {
    const keys = ['binding', 'database_name', 'database_id', 'migrations_dir', 'migrations_table', 'migrations_pattern'];
    if (config.format === 'toml') {
        const header = environment === null ? '[[d1_databases]]' : `[[env.${tomlKey(environment)}.d1_databases]]`;
        return bindings
            .map((b) => [header, ...keys.filter((k) => b[k] !== undefined).map((k) => `${k} = ${JSON.stringify(b[k])}`)].join('\n'))
            .join('\n\n');
    }
    const entries = bindings.map((b) => Object.fromEntries(keys.filter((k) => b[k] !== undefined).map((k) => [k, b[k]])));
    const body = environment === null ? { d1_databases: entries } : { env: { [environment]: { d1_databases: entries } } };
    return JSON.stringify(body, null, 2);
}
function tomlKey(name) {
    return /^[A-Za-z0-9_-]+$/.test(name) ? name : JSON.stringify(name);
}

;// CONCATENATED MODULE: ./build/src/wrangler/output.js
/** Reading what wrangler prints: colour codes off, the JSON of `--json`, the lines of its error blocks. */
// wrangler colours its error blocks even with NO_COLOR/FORCE_COLOR=0 (esbuild's message formatter).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
function stripAnsi(text) {
    return text.replace(ANSI, '');
}
/**
 * Parses the JSON document `wrangler ... --json` prints on stdout: `[{"results":[...]}]` on success,
 * `{"error":{"text","notes"}}` on failure, or a plain object (time-travel). Banner lines before it are
 * skipped. Returns undefined when stdout holds no JSON.
 */
function parseJsonOutput(stdout) {
    const text = stripAnsi(stdout);
    const start = text.search(/^[[{]/m);
    if (start < 0)
        return undefined;
    let value;
    try {
        value = JSON.parse(text.slice(start));
    }
    catch {
        return undefined;
    }
    if (Array.isArray(value)) {
        return { kind: 'results', results: value.map((r) => ({ results: Array.isArray(r?.results) ? r.results : [], success: r?.success })) };
    }
    if (value && typeof value === 'object') {
        const error = value.error;
        if (error && typeof error === 'object') {
            const e = error;
            return {
                kind: 'error',
                text: String(e.text ?? ''),
                notes: Array.isArray(e.notes) ? e.notes.map((n) => String(n?.text ?? '')).filter(Boolean) : [],
                code: typeof e.code === 'number' ? e.code : undefined,
            };
        }
        return { kind: 'object', value: value };
    }
    return undefined;
}
const NOISE = [/^If you think this is a bug/, /^🪵\s+Logs were written/, /^Logs were written/, /^$/];
/**
 * The message of wrangler's `✘ [ERROR]` blocks (and the notes under them), one line each, without the
 * "if you think this is a bug" footer. Empty when there is none.
 */
function errorLines(output) {
    const lines = stripAnsi(output).split(/\r?\n/);
    const out = [];
    let inBlock = false;
    for (const raw of lines) {
        const line = raw.trimEnd();
        const head = /^✘\s*\[ERROR\]\s*(.*)$/.exec(line);
        if (head) {
            inBlock = true;
            if (head[1])
                out.push(head[1].trim());
            continue;
        }
        if (!inBlock)
            continue;
        if (/^\S/.test(line) && !/^🪵|^Logs were/.test(line)) {
            inBlock = false;
            continue;
        }
        const text = line.trim();
        if (NOISE.some((re) => re.test(text)))
            continue;
        out.push(text);
    }
    return out;
}

;// CONCATENATED MODULE: ./build/src/wrangler/status-table.js

/** Parses one table line such as `│ 0001_a.sql │ ✅     │`; undefined for anything else. */
function parseStatusLine(line) {
    const m = /^│\s(.+?)\s+│\s*(✅|❌|🕒️?)\s*│\s*$/u.exec(stripAnsi(line).trimEnd());
    if (!m)
        return undefined;
    const mark = m[2];
    return { name: m[1], status: mark === '✅' ? 'applied' : mark === '❌' ? 'failed' : 'pending' };
}
/** The last status table in `stdout` (the latest state wrangler reported), as rows in order. */
function lastStatusTable(stdout) {
    let current = [];
    let last = [];
    for (const line of stripAnsi(stdout).split(/\r?\n/)) {
        const row = parseStatusLine(line);
        if (row) {
            current.push(row);
        }
        else if (/^└/.test(line) && current.length) {
            last = current;
            current = [];
        }
        else if (/^┌/.test(line)) {
            current = [];
        }
    }
    return current.length ? current : last;
}

;// CONCATENATED MODULE: ./build/src/wrangler/classify.js


const AUTH = [
    /\[code: (10000|9106|9109|7403|10001)\]/,
    /no credentials were found/i,
    /necessary to set a CLOUDFLARE_API_TOKEN/i,
    /Authentication error/i,
    /not authorized to access this service/i,
    /\bnot authorized\b(?!: SQLITE)/i,
    /Unable to authenticate request/i,
    /Invalid (API|access) token/i,
];
const NOT_FOUND = [/\[code: 7404\]/, /Couldn't find (a )?D1 DB/i, /Couldn't find DB/i, /database .* could not be found/i, /could not be found/i];
const TOO_LARGE = [/SQLITE_TOOBIG/, /statement too long/i, /string or blob too big/i];
const NETWORK = [
    /\bECONNREFUSED\b/,
    /\bECONNRESET\b/,
    /\bENOTFOUND\b/,
    /\bEAI_AGAIN\b/,
    /\bETIMEDOUT\b/,
    /\bUND_ERR_[A-Z_]+/,
    /fetch failed/i,
    /other side closed/i,
    /socket hang up/i,
    /Network connection lost/i,
    /-> 5\d\d\b/,
    /Internal server error/i,
    /\binternal error\b/i,
    /\boverloaded\b/i,
    /Service Unavailable|Bad Gateway|Gateway Time-?out/i,
];
const SQL = [
    /SQLITE_[A-Z_]+/,
    /\[code: 7500\]/,
    /no such (table|column|index|trigger|view)/i,
    /syntax error/i,
    /FOREIGN KEY constraint failed/i,
    /(UNIQUE|NOT NULL|CHECK|PRIMARY KEY) constraint failed/i,
    /already exists/i,
    /BEGIN TRANSACTION or SAVEPOINT/,
    /duplicate column name/i,
];
const MISSING = [/command not found/i, /Cannot find module .*wrangler/i, /is not recognized as an internal or external command/i];
/** Sorts a failed wrangler run into the closed set of FailureKind, from both wrangler 4.86's and 4.1xx's output. */
function classifyFailure(outcome) {
    if (outcome.spawnError) {
        const missing = outcome.spawnError.code === 'ENOENT' || outcome.spawnError.code === 'EACCES';
        return {
            kind: missing ? 'wrangler-missing' : 'unknown',
            message: missing ? `wrangler could not be started: ${outcome.spawnError.message}` : outcome.spawnError.message,
        };
    }
    const text = collectMessage(outcome);
    const all = stripAnsi(`${outcome.stdout}\n${outcome.stderr}`);
    const migration = failedMigration(all);
    const sqliteMessage = sqliteMessageOf(text);
    const code = Number(/\[code: (\d+)\]/.exec(text)?.[1] ?? NaN);
    const base = { migration, sqliteMessage, code: Number.isNaN(code) ? undefined : code };
    if (outcome.cancelled)
        return { ...base, kind: 'cancelled', message: 'wrangler was stopped because the run was cancelled' };
    if (outcome.timedOut) {
        const after = outcome.timeoutMs ? ` after ${Math.round(outcome.timeoutMs / 1000)} s` : '';
        return { ...base, kind: 'timeout', message: `wrangler did not finish${after} and was stopped` };
    }
    if (outcome.exitCode === 127 || MISSING.some((re) => re.test(all))) {
        return { ...base, kind: 'wrangler-missing', message: text || 'wrangler was not found' };
    }
    const message = text || (outcome.signal ? `wrangler was killed by ${outcome.signal}` : `wrangler exited with code ${outcome.exitCode}`);
    const test = (res) => res.some((re) => re.test(text));
    if (test(AUTH))
        return { ...base, kind: 'not-authorized', message };
    if (test(NOT_FOUND))
        return { ...base, kind: 'database-not-found', message };
    if (test(TOO_LARGE))
        return { ...base, kind: 'too-large', message };
    if (test(NETWORK))
        return { ...base, kind: 'network', message };
    if (test(SQL))
        return { ...base, kind: 'sql-error', message };
    return { ...base, kind: 'unknown', message };
}
/** The error text wrangler printed: the `--json` error document, else its `✘ [ERROR]` blocks, else the tail of stderr. */
function collectMessage(outcome) {
    const json = parseJsonOutput(outcome.stdout);
    if (json?.kind === 'error')
        return [json.text, ...json.notes].filter(Boolean).join('\n');
    const lines = errorLines(outcome.stderr).concat(errorLines(outcome.stdout));
    const useful = lines.filter((l) => !/^Migration .+ failed with the following errors:$/.test(l));
    if (useful.length)
        return useful.join('\n');
    const tail = stripAnsi(outcome.stderr).trim().split(/\r?\n/).slice(-5).join('\n');
    return tail;
}
/** wrangler 4.86 names the failing migration; newer versions only leave it in the status table, if at all. */
function failedMigration(all) {
    const named = /Migration (.+?) failed with the following errors:/.exec(all);
    if (named)
        return named[1];
    return lastStatusTable(all).find((r) => r.status === 'failed')?.name;
}
function sqliteMessageOf(text) {
    for (const line of text.split('\n')) {
        const m = /^(.*?:\s*SQLITE_[A-Z_]+)(?:\s*\[code: \d+\])?\s*$/.exec(line.trim());
        if (m)
            return m[1].replace(/:\s*SQLITE_[A-Z_]+$/, '');
    }
    return undefined;
}

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: ./build/src/wrangler/split.js
/**
 * Splits a command line into words the way a POSIX shell would quote them, without running a shell:
 * the `wrangler` option may be `node ./x/wrangler.js` or `"/opt/my tools/wrangler"`, but nothing in it is
 * ever expanded or executed as shell syntax.
 */
function splitCommandLine(line) {
    const words = [];
    let word = '';
    let inWord = false;
    let quote = null;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quote === "'") {
            if (c === "'")
                quote = null;
            else
                word += c;
            continue;
        }
        if (quote === '"') {
            if (c === '"')
                quote = null;
            else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]))
                word += line[++i];
            else
                word += c;
            continue;
        }
        if (c === "'" || c === '"') {
            quote = c;
            inWord = true;
        }
        else if (c === '\\' && i + 1 < line.length) {
            word += line[++i];
            inWord = true;
        }
        else if (/\s/.test(c)) {
            if (inWord)
                words.push(word);
            word = '';
            inWord = false;
        }
        else {
            word += c;
            inWord = true;
        }
    }
    if (quote)
        throw new Error(`unterminated ${quote} quote in command line: ${line}`);
    if (inWord)
        words.push(word);
    return words;
}

;// CONCATENATED MODULE: ./build/src/wrangler/node-range.js
/**
 * Just enough of npm's semver ranges to read `engines.node` of wrangler (`>=20.3.0`, `>=22.12.0`,
 * `^18.17.0 || >=20`, `>=16.13.0 <17`): without pulling in a semver dependency.
 */
function satisfiesNodeRange(version, range) {
    const v = node_range_parse(version);
    if (!v)
        return true;
    return range
        .split('||')
        .map((alt) => alt.trim())
        .some((alt) => alt === '' || alt === '*' || alt.split(/\s+/).every((c) => satisfiesComparator(v, c)));
}
function node_range_parse(text) {
    const m = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(text.trim());
    if (!m)
        return undefined;
    const n = (s) => (s === undefined || s === 'x' || s === '*' ? 0 : Number(s));
    return [n(m[1]), n(m[2]), n(m[3])];
}
function compare(a, b) {
    for (let i = 0; i < 3; i++)
        if (a[i] !== b[i])
            return a[i] - b[i];
    return 0;
}
function satisfiesComparator(v, comparator) {
    const m = /^(>=|<=|>|<|=|\^|~)?\s*(.+)$/.exec(comparator);
    if (!m)
        return true;
    const op = m[1] ?? '=';
    const target = node_range_parse(m[2]);
    if (!target)
        return true;
    const c = compare(v, target);
    switch (op) {
        case '>=':
            return c >= 0;
        case '>':
            return c > 0;
        case '<=':
            return c <= 0;
        case '<':
            return c < 0;
        case '^':
            return c >= 0 && v[0] === target[0];
        case '~':
            return c >= 0 && v[0] === target[0] && v[1] === target[1];
        default:
            // A bare `20` or `20.x` means that major (and minor) line.
            return /[x*]|^\d+$|^\d+\.\d+$/.test(m[2]) ? v[0] === target[0] && (!/^\d+\.\d+$/.test(m[2]) || v[1] === target[1]) : c === 0;
    }
}

;// CONCATENATED MODULE: ./build/src/wrangler/locate.js





const NPX_WRANGLER = ['--yes', 'wrangler@4'];
/**
 * Finds wrangler: the `wrangler` option (a path or a command line, relative to cwd), else
 * `node_modules/.bin/wrangler` in cwd or a parent folder, else `npx --yes wrangler@4`.
 */
function locateWrangler(cwd, option, pathEnv = process.env.PATH) {
    if (option && option.trim()) {
        const words = splitCommandLine(option.trim());
        if (words.length === 0)
            throw new Error('the wrangler option is empty');
        const [first, ...rest] = words;
        const resolved = looksLikePath(first) ? external_node_path_.resolve(cwd, first) : first;
        const resolvedRest = rest.map((w) => (looksLikePath(w) && external_node_fs_.existsSync(external_node_path_.resolve(cwd, w)) ? external_node_path_.resolve(cwd, w) : w));
        return locate_describe({ command: resolved, prefixArgs: resolvedRest, source: 'option' }, pathEnv);
    }
    for (let dir = cwd;; dir = external_node_path_.dirname(dir)) {
        const bin = external_node_path_.join(dir, 'node_modules', '.bin', process.platform === 'win32' ? 'wrangler.cmd' : 'wrangler');
        if (external_node_fs_.existsSync(bin))
            return locate_describe({ command: bin, prefixArgs: [], source: 'project' }, pathEnv);
        if (external_node_path_.dirname(dir) === dir)
            break;
    }
    return locate_describe({ command: 'npx', prefixArgs: [...NPX_WRANGLER], source: 'npx' }, pathEnv);
}
function looksLikePath(word) {
    return word.includes('/') || word.includes('\\') || word.startsWith('.');
}
function locate_describe(base, pathEnv) {
    const display = [base.command, ...base.prefixArgs].map((w) => (/\s/.test(w) ? JSON.stringify(w) : w)).join(' ');
    const cmd = { ...base, display };
    if (base.source === 'npx')
        return cmd;
    const runsWithNode = isNodeBinary(base.command);
    const script = runsWithNode ? base.prefixArgs.find((a) => !a.startsWith('-')) : base.command;
    const pkg = script ? wranglerPackageOf(script) : undefined;
    if (!pkg)
        return cmd;
    cmd.version = pkg.version;
    // A `#!/usr/bin/env node` script runs on the first node on PATH, which need not be the one running us.
    const node = runsWithNode ? base.command : findOnPath('node', pathEnv);
    const nodeVersion = node ? nodeVersionOf(node) : process.version;
    if (pkg.engines && nodeVersion && !satisfiesNodeRange(nodeVersion, pkg.engines)) {
        cmd.problem =
            `wrangler ${pkg.version ?? '(unknown version)'} needs Node.js ${pkg.engines} but this is ${nodeVersion}; ` +
                `pin wrangler@4.86.0 or set up Node ${minimumMajor(pkg.engines) ?? 'a newer version'}` +
                ` (wrangler found at ${script})`;
    }
    return cmd;
}
function isNodeBinary(command) {
    return /^node(\.exe)?$/i.test(external_node_path_.basename(command));
}
function findOnPath(name, pathEnv) {
    for (const dir of (pathEnv ?? '').split(external_node_path_.delimiter)) {
        if (!dir)
            continue;
        const candidate = external_node_path_.join(dir, process.platform === 'win32' ? `${name}.exe` : name);
        if (external_node_fs_.existsSync(candidate))
            return candidate;
    }
    return undefined;
}
function nodeVersionOf(nodeBinary) {
    if (nodeBinary === process.execPath)
        return process.version;
    try {
        if (external_node_fs_.realpathSync(nodeBinary) === external_node_fs_.realpathSync(process.execPath))
            return process.version;
    }
    catch {
        /* not a file path: ask it */
    }
    const r = (0,external_node_child_process_namespaceObject.spawnSync)(nodeBinary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    return r.status === 0 ? r.stdout.trim() : undefined;
}
/** The package.json of the wrangler package a script belongs to (follows the .bin symlink). */
function wranglerPackageOf(script) {
    let real;
    try {
        real = external_node_fs_.realpathSync(script);
    }
    catch {
        return undefined;
    }
    for (let dir = external_node_path_.dirname(real), i = 0; i < 4; dir = external_node_path_.dirname(dir), i++) {
        const file = external_node_path_.join(dir, 'package.json');
        if (!external_node_fs_.existsSync(file))
            continue;
        try {
            const pkg = JSON.parse(external_node_fs_.readFileSync(file, 'utf8'));
            if (pkg.name === 'wrangler')
                return { version: pkg.version, engines: pkg.engines?.node };
        }
        catch {
            return undefined;
        }
    }
    return undefined;
}
function minimumMajor(range) {
    const m = /(\d+)/.exec(range);
    return m ? Number(m[1]) : undefined;
}

;// CONCATENATED MODULE: ./build/src/wrangler/redact.js
const MIN_SECRET_LENGTH = 6;
/** The values that must never appear in captured output: tokens and the webhook URL (account ids are not secret). */
function secretsOf(options, env = {}) {
    const values = [options.cloudflareApiToken, env.CLOUDFLARE_API_TOKEN, options.githubToken, options.notifyWebhook];
    return [...new Set(values.filter((v) => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH))];
}
/** Replaces every occurrence of each secret with `***` (longest first, so a secret containing another goes whole). */
function redact(text, secrets) {
    let out = text;
    for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
        if (secret.length >= MIN_SECRET_LENGTH)
            out = out.split(secret).join('***');
    }
    return out;
}

;// CONCATENATED MODULE: ./build/src/wrangler/run.js


/** Grace period between SIGTERM and SIGKILL when stopping wrangler. */
const KILL_GRACE_MS = 3_000;
const running = new Set();
let exitHookInstalled = false;
/** If this process exits (e.g. the job is cancelled) while wrangler runs, wrangler must not outlive it. */
function installExitHook() {
    if (exitHookInstalled)
        return;
    exitHookInstalled = true;
    process.on('exit', () => {
        for (const child of running)
            killGroup(child, 'SIGKILL');
    });
}
function killGroup(child, signal) {
    if (child.pid === undefined)
        return;
    try {
        // wrangler is started in its own process group, so npx → node → workerd all go together.
        process.kill(process.platform === 'win32' ? child.pid : -child.pid, signal);
    }
    catch {
        try {
            child.kill(signal);
        }
        catch {
            /* already gone */
        }
    }
}
/**
 * The environment wrangler runs with: non-interactive (CI answers its prompts), no metrics, no colour, and
 * nothing that would make it read a login from disk instead of the token we give it.
 */
function wranglerEnv(base) {
    return { ...base, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' };
}
/** Runs wrangler with `args` (no shell), capturing output, with a timeout and cancellation. Never rejects. */
function runWrangler(cmd, args, options) {
    const started = Date.now();
    const argv = [...cmd.prefixArgs, ...args];
    return new Promise((resolve) => {
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        let cancelled = false;
        let spawnError;
        let settled = false;
        let killTimer;
        const finish = (exitCode, signal) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            clearTimeout(killTimer);
            options.signal?.removeEventListener('abort', onAbort);
            running.delete(child);
            resolve({
                args,
                exitCode,
                signal,
                stdout: redact(stdout, options.secrets),
                stderr: redact(stderr, options.secrets),
                timedOut,
                cancelled,
                spawnError,
                durationMs: Date.now() - started,
            });
        };
        const stop = () => {
            killGroup(child, 'SIGTERM');
            killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS);
        };
        const onAbort = () => {
            cancelled = true;
            stop();
        };
        const child = (0,external_node_child_process_namespaceObject.spawn)(cmd.command, argv, {
            cwd: options.cwd,
            env: wranglerEnv(options.env),
            stdio: ['ignore', 'pipe', 'pipe'],
            detached: process.platform !== 'win32',
            shell: false,
            windowsHide: true,
        });
        running.add(child);
        installExitHook();
        const timer = setTimeout(() => {
            timedOut = true;
            stop();
        }, options.timeoutMs);
        if (options.signal?.aborted)
            onAbort();
        else
            options.signal?.addEventListener('abort', onAbort, { once: true });
        child.stdout.setEncoding('utf8');
        child.stderr.setEncoding('utf8');
        child.stdout.on('data', (chunk) => {
            stdout += chunk;
            options.onStdout?.(redact(chunk, options.secrets));
        });
        child.stderr.on('data', (chunk) => {
            stderr += chunk;
        });
        child.on('error', (error) => {
            spawnError = { code: error.code, message: error.message };
            finish(null, null);
        });
        child.on('close', (code, signal) => finish(code, signal));
    });
}
/** For logs: the wrangler command line of a run (arguments only; the token is never in them). */
function describeRun(cmd, args) {
    return [cmd.display, ...args.map((a) => (/[\s"'$`\\]/.test(a) ? JSON.stringify(a) : a))].join(' ');
}

;// CONCATENATED MODULE: ./build/src/wrangler/session.js




const located = new Map();
/** locateWrangler, once per (cwd, option): it may spawn `node --version`. */
function wranglerCommandFor(cwd, option, pathEnv) {
    const key = `${cwd}\0${option ?? ''}\0${pathEnv ?? ''}`;
    let cmd = located.get(key);
    if (!cmd) {
        cmd = locateWrangler(cwd, option, pathEnv);
        located.set(key, cmd);
    }
    return cmd;
}
/** The job's cancellation signal when the engine provides one on the context. */
function signalOf(ctx) {
    return ctx.signal;
}
function openSession(ctx, override) {
    const { options } = ctx;
    const command = wranglerCommandFor(options.cwd, options.wrangler, ctx.env.PATH);
    const where = override?.where ?? options.target;
    const persistTo = override?.persistTo ?? (where === 'local' ? options.persistTo : undefined);
    const secrets = secretsOf(options, ctx.env);
    return {
        command,
        target: ctx.target,
        where,
        persistTo,
        async run(args, extra = {}) {
            ctx.io.debug(`running ${describeRun(command, args)}`);
            const result = await runWrangler(command, args, {
                cwd: options.cwd,
                env: ctx.env,
                timeoutMs: extra.timeoutMs ?? options.timeoutMs,
                signal: extra.signal === null ? undefined : (extra.signal ?? signalOf(ctx)),
                secrets,
                onStdout: extra.onStdout,
            });
            const log = extra.verbose ? ctx.io.info.bind(ctx.io) : ctx.io.debug.bind(ctx.io);
            const out = `${result.stdout}${result.stderr ? `\n${result.stderr}` : ''}`.trim();
            if (out)
                log(out);
            ctx.io.debug(`wrangler exit ${result.exitCode ?? result.signal ?? 'none'} in ${result.durationMs} ms`);
            return result;
        },
        classify(result) {
            return classifyFailure({ ...result, timeoutMs: options.timeoutMs });
        },
    };
}
/** True when the run succeeded (exit 0, not stopped). */
function succeeded(result) {
    return result.exitCode === 0 && !result.timedOut && !result.cancelled && !result.spawnError;
}
/**
 * Arguments for a `wrangler d1 <command> <binding>` that acts on the database: always an explicit
 * `--remote`/`--local` (wrangler defaults to local since 3.33, the wrong database in CI), `--env` and
 * `--config` so it reads the same config discovery did.
 */
function d1Args(session, command, rest = []) {
    const { target, where, persistTo } = session;
    const args = ['d1', ...command, target.binding, where === 'remote' ? '--remote' : '--local'];
    if (where === 'local' && persistTo)
        args.push('--persist-to', persistTo);
    return [...args, ...commonArgs(target), ...rest];
}
/** Time Travel commands act on the remote database only and take no --remote/--local. */
function timeTravelArgs(target, command, rest = []) {
    return ['d1', 'time-travel', command, target.binding, ...rest, '--json', ...commonArgs(target)];
}
function commonArgs(target) {
    const args = [];
    if (target.environment)
        args.push('--env', target.environment);
    args.push('--config', target.configPath);
    return args;
}

;// CONCATENATED MODULE: ./build/src/wrangler/ledger.js


/** `SELECT * FROM "<table>" ORDER BY id` with the identifier quoted the SQL way. */
function ledgerQuery(table) {
    return `SELECT * FROM "${table.replace(/"/g, '""')}" ORDER BY id`;
}
/**
 * Reads the applied-migrations table with `d1 execute --json` (machine-readable, unlike `migrations list`).
 * A missing table is an empty ledger: nothing is created, so preview never writes to the database.
 */
async function readLedger(session, extra) {
    const table = session.target.migrationsTable;
    const result = await session.run(d1Args(session, ['execute'], ['--json', '--command', ledgerQuery(table)]), extra);
    const json = parseJsonOutput(result.stdout);
    if (succeeded(result) && json?.kind === 'results') {
        return { ok: true, entries: toEntries(json.results[0]?.results ?? []), exists: true };
    }
    if (json?.kind === 'error' && isMissingTable([json.text, ...json.notes].join('\n'), table) && !result.timedOut && !result.cancelled) {
        return { ok: true, entries: [], exists: false };
    }
    return { ok: false, failure: session.classify(result) };
}
function isMissingTable(text, table) {
    const m = /no such table: ([^\s:]+)/.exec(text);
    return !!m && m[1].replace(/^main\./, '').toLowerCase() === table.toLowerCase();
}
function toEntries(rows) {
    return rows
        .filter((r) => typeof r.name === 'string')
        .map((r) => ({
        id: typeof r.id === 'number' ? r.id : r.id === undefined || r.id === null ? undefined : Number(r.id),
        name: String(r.name),
        appliedAt: r.applied_at === undefined || r.applied_at === null ? null : String(r.applied_at),
    }));
}

;// CONCATENATED MODULE: ./build/src/wrangler/progress.js


/**
 * Follows `wrangler d1 migrations apply` output as it streams: wrangler prints a status table after each
 * migration, so the moment a name first shows ✅ is (within a pipe flush) when that migration finished.
 * Timing of migration i = its ✅ time minus the previous one's (the first counts from the confirmation).
 */
class ApplyProgress {
    now;
    buffer = '';
    startedAt;
    lastMark;
    applied = [];
    timings = [];
    /** Completion wall-clock time of each applied migration (ms since epoch). */
    finishedAt = new Map();
    failed;
    upToDate = false;
    /** wrangler got past reading the ledger and began sending migrations. */
    started = false;
    constructor(now = Date.now) {
        this.now = now;
        this.startedAt = now();
        this.lastMark = this.startedAt;
    }
    push(chunk) {
        this.buffer += chunk;
        const lines = this.buffer.split('\n');
        this.buffer = lines.pop() ?? '';
        for (const line of lines)
            this.line(line);
    }
    end() {
        if (this.buffer)
            this.line(this.buffer);
        this.buffer = '';
    }
    line(raw) {
        const line = stripAnsi(raw);
        const t = this.now();
        if (/No migrations to apply!/.test(line))
            this.upToDate = true;
        // wrangler asks (and CI answers yes) right before the first migration is sent.
        if (/Using fallback value in non-interactive context|About to apply \d+ migration/.test(line)) {
            this.started = true;
            this.lastMark = t;
        }
        const row = parseStatusLine(line);
        if (!row)
            return;
        if (row.status === 'applied' && !this.finishedAt.has(row.name)) {
            this.finishedAt.set(row.name, t);
            this.applied.push(row.name);
            this.timings.push({ name: row.name, ms: Math.max(0, t - this.lastMark) });
            this.lastMark = t;
        }
        else if (row.status === 'failed') {
            this.failed = row.name;
        }
    }
}

;// CONCATENATED MODULE: ./build/src/wrangler/time-travel.js


/** The database's current Time Travel bookmark (`wrangler d1 time-travel info --json`). */
async function currentBookmark(session, extra) {
    const result = await session.run(timeTravelArgs(session.target, 'info'), extra);
    const json = parseJsonOutput(result.stdout);
    if (succeeded(result) && json?.kind === 'object' && typeof json.value.bookmark === 'string') {
        return { ok: true, bookmark: json.value.bookmark };
    }
    return { ok: false, failure: session.classify(result) };
}
async function restoreBookmark(session, bookmark, extra) {
    const result = await session.run(timeTravelArgs(session.target, 'restore', [`--bookmark=${bookmark}`]), extra);
    const json = parseJsonOutput(result.stdout);
    if (succeeded(result) && json?.kind === 'object') {
        const previous = json.value.previous_bookmark;
        return {
            ok: true,
            bookmark: typeof json.value.bookmark === 'string' ? json.value.bookmark : bookmark,
            previousBookmark: typeof previous === 'string' ? previous : undefined,
        };
    }
    return { ok: false, failure: session.classify(result) };
}
/** The command a person runs to return the database to `bookmark` (printed in the log and summary). */
function restoreCommand(target, bookmark) {
    const env = target.environment ? ` --env ${target.environment}` : '';
    return `wrangler d1 time-travel restore ${target.databaseName} --bookmark=${bookmark}${env}`;
}

;// CONCATENATED MODULE: ./build/src/phases/failure-line.js
/**
 * Maps SQLite's error message back to a line of the migration file, so the annotation lands on the failing
 * statement. SQLite does not give offsets over the D1 API; the message names the object (`no such table: x`,
 * `near "x": syntax error`), and the first statement mentioning it is almost always the one that failed.
 */
function failureLine(sql, message) {
    if (/BEGIN TRANSACTION or SAVEPOINT/.test(message)) {
        return firstMatchLine(sql, /^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/im);
    }
    const subject = subjectOf(message);
    if (!subject)
        return undefined;
    const escaped = subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // Identifiers may be quoted in the file ("x", `x`, [x]) and qualified (t.c → c after the dot).
    const re = new RegExp(`(^|[^\\w$])["\`\\[]?${escaped}["\`\\]]?(?![\\w$])`, 'i');
    return firstMatchLine(blankComments(sql), re);
}
function subjectOf(message) {
    const patterns = [
        /near "([^"]+)": syntax error/,
        /no such (?:table|column|index|view|trigger|function|module): (?:main\.)?([^\s:]+)/,
        /(?:table|index|view|trigger) "?([^\s"]+)"? already exists/,
        /duplicate column name: ([^\s:]+)/,
        /(?:UNIQUE|NOT NULL|CHECK|PRIMARY KEY) constraint failed: (?:[\w$]+\.)?([^\s:,]+)/,
        /table ([^\s]+) has no column named ([^\s:]+)/,
        /cannot (?:drop|rename|add).*? column[: ]+"?([^\s":]+)/i,
    ];
    for (const re of patterns) {
        const m = re.exec(message);
        if (m)
            return m[m.length - 1];
    }
    return undefined;
}
function firstMatchLine(text, re) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++)
        if (re.test(lines[i]))
            return i + 1;
    return undefined;
}
/** Comments replaced by spaces (newlines kept), so a name in a comment does not win. */
function blankComments(sql) {
    return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
}

;// CONCATENATED MODULE: ./build/src/rules/catalog.js
const RULES = [
    { id: 'duplicate-number', severity: 'error', summary: 'Two migration files share a number; wrangler applies both, in name order, which is rarely what the author meant.' },
    { id: 'number-gap', severity: 'warning', summary: 'A number is skipped in a sequential series (a file was lost, renamed or is on another branch).' },
    { id: 'bad-filename', severity: 'error', summary: 'A .sql file wrangler will run does not follow the NNNN_name.sql numbering (e.g. a template left in the folder).' },
    { id: 'ambiguous-order', severity: 'warning', summary: 'The apply order is not obvious or not defined: mixed-width numbers, or names without a number.' },
    { id: 'ignored-file', severity: 'warning', summary: 'A file in the migrations folder that wrangler silently ignores (e.g. .SQL, .sql.txt).' },
    { id: 'unreadable-file', severity: 'error', summary: 'A .sql entry wrangler would run cannot be read as UTF-8 text (a directory, dangling symlink, no permission, binary or invalid UTF-8): wrangler would crash or send garbage.' },
    { id: 'empty-migration', severity: 'error', summary: 'Empty or comments-only file: wrangler records it as applied, so filling it in later never runs.' },
    { id: 'sql-syntax', severity: 'error', summary: "SQLite's own parser rejects a statement." },
    { id: 'replay-error', severity: 'error', summary: 'Replaying the migrations in wrangler order on a fresh D1-like SQLite fails at this statement.' },
    { id: 'transaction-statement', severity: 'error', summary: 'BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE: real D1 rejects them (local wrangler strips one BEGIN TRANSACTION/COMMIT pair and hides it).' },
    { id: 'foreign-keys-pragma', severity: 'warning', summary: 'PRAGMA foreign_keys has no effect on D1; defer_foreign_keys defers checks but does not stop cascades.' },
    { id: 'pragma-not-allowed', severity: 'error', summary: 'A PRAGMA that D1 does not allow.' },
    { id: 'unsupported-statement', severity: 'error', summary: 'ATTACH/DETACH, TEMP objects, _cf_ names or VACUUM: rejected by D1.' },
    { id: 'statement-too-large', severity: 'error', summary: "The SQL sent for one migration exceeds D1's 100,000-byte request limit (SQLITE_TOOBIG remotely; passes locally)." },
    { id: 'postgres-syntax', severity: 'error', summary: 'PostgreSQL syntax that SQLite rejects or silently misreads (SERIAL, JSONB, ::casts, now(), ...).' },
    { id: 'unsafe-add-column', severity: 'error', summary: 'ALTER TABLE ADD COLUMN that SQLite accepts on an empty table but rejects once it has rows: NOT NULL without a default, a non-constant default, REFERENCES with a non-NULL default.' },
    { id: 'destructive-change', severity: 'warning', summary: 'DROP TABLE/COLUMN, DELETE/UPDATE without WHERE, or a table rebuild: data can be lost.' },
    { id: 'drop-referenced-table', severity: 'error', summary: 'DROP TABLE of a table other tables reference by foreign key: on D1 (foreign keys always on) it cascades into child rows or fails.' },
    { id: 'rows-lost', severity: 'error', summary: 'With rows in the tables, a migration deletes or changes rows of a table it never deletes from or updates: a foreign key cascade from a DROP (table rebuild), a REPLACE conflict or a trigger. Found by running it on synthetic rows (the data check).' },
    { id: 'fails-with-data', severity: 'error', summary: 'A migration that applies on an empty database but fails once tables hold rows (foreign keys left dangling by a rebuild, a UNIQUE index over duplicated values, ADD COLUMN NOT NULL without a default).' },
    { id: 'secret-in-migration', severity: 'error', summary: 'An API key, private key or password in a SQL literal.' },
    { id: 'double-quoted-string', severity: 'warning', summary: 'A double-quoted name that is not a column there, which SQLite silently turns into a text literal.' },
    { id: 'applied-file-missing', severity: 'error', summary: 'The database records a migration with no file: it was renamed or deleted (a renamed file would run again).' },
    { id: 'out-of-order', severity: 'warning', summary: 'A pending migration sorts before the last applied one.' },
    { id: 'schema-drift', severity: 'error', summary: 'The live schema differs from what its applied migrations produce (changed by hand, or a migration edited after it ran), or differs between environments.' },
    { id: 'modified-migration', severity: 'error', summary: 'A migration that exists on the base branch was modified, renamed or deleted by the pull request.' },
];
/** Rules whose findings mean rows are lost or a deploy fails on real data: reports list them first. */
const DATA_LOSS_RULES = new Set(['rows-lost', 'fails-with-data']);
/** The data-loss findings first, each group in its original order. */
function dataLossFirst(findings) {
    return [...findings.filter((f) => DATA_LOSS_RULES.has(f.rule)), ...findings.filter((f) => !DATA_LOSS_RULES.has(f.rule))];
}
const RULE_IDS = new Set(RULES.map((r) => r.id));
function ruleInfo(id) {
    const info = RULES.find((r) => r.id === id);
    if (!info)
        throw new Error(`unknown rule id ${id}`);
    return info;
}
/** Docs anchor of a rule in docs/rules.md. */
function ruleDocsUrl(id) {
    return `https://github.com/d1-migrate/d1-migrate-action/blob/v1/docs/rules.md#${id}`;
}

;// CONCATENATED MODULE: ./build/src/phases/ledger.js

/** Files not yet recorded in the ledger, in the order wrangler applies them (`migrations` is already in it). */
function pendingMigrations(migrations, ledger) {
    const applied = new Set(ledger.map((e) => e.name));
    return migrations.filter((m) => !applied.has(m.name));
}
/**
 * Drift between the database's ledger and the files: a recorded name with no file (renamed or deleted —
 * a renamed file is pending under its new name and wrangler would run it again), and a pending file that
 * sorts before the last applied one (it was merged late, or numbered on another branch).
 */
function ledgerFindings(migrations, ledger, target) {
    const findings = [];
    const files = new Map(migrations.map((m) => [m.name, m]));
    const pending = pendingMigrations(migrations, ledger);
    const where = target.environment ? `${target.databaseName} (${target.environment})` : target.databaseName;
    for (const entry of ledger) {
        if (files.has(entry.name))
            continue;
        const renamed = pending.find((p) => sameMigration(p.name, entry.name));
        const when = entry.appliedAt ? ` on ${entry.appliedAt}` : '';
        findings.push({
            rule: 'applied-file-missing',
            severity: ruleInfo('applied-file-missing').severity,
            file: renamed?.relPath,
            line: renamed ? 1 : undefined,
            message: renamed
                ? `${where} recorded ${entry.name} as applied${when}, but the file is now ${renamed.name}; wrangler tracks files by name and would run it again as a new migration.`
                : `${where} recorded ${entry.name} as applied${when}, but there is no such file in ${target.migrationsDir}; if it was renamed, wrangler will run it again under the new name.`,
        });
    }
    const order = new Map(migrations.map((m, i) => [m.name, i]));
    let lastApplied;
    for (const entry of ledger) {
        const file = files.get(entry.name);
        if (file && (lastApplied === undefined || order.get(file.name) > order.get(lastApplied.name)))
            lastApplied = file;
    }
    if (lastApplied) {
        const lastIndex = order.get(lastApplied.name);
        for (const p of pending) {
            if (order.get(p.name) < lastIndex) {
                findings.push({
                    rule: 'out-of-order',
                    severity: ruleInfo('out-of-order').severity,
                    file: p.relPath,
                    line: 1,
                    message: `${p.name} is not applied on ${where} yet, but sorts before ${lastApplied.name}, which is; it will run after it, against a schema its author may not have expected.`,
                });
            }
        }
    }
    return findings;
}
/** Same migration under another file name: same number and description, or same description. */
function sameMigration(a, b) {
    const desc = (n) => n.replace(/\.sql$/i, '').replace(/^\d+[_-]?/, '').toLowerCase();
    const da = desc(a);
    return da !== '' && da === desc(b);
}

;// CONCATENATED MODULE: ./build/src/phases/ledger-state.js
/**
 * The ledger after apply, handed from apply to history without widening PhaseContext: keyed by the
 * database's report object, which both phases share. `exact` is false when it was computed (ledger before +
 * what wrangler reported) rather than read, so applied_at is this run's clock, not D1's.
 */
const after = new WeakMap();
function rememberLedgerAfter(report, entries, exact) {
    after.set(report, { entries, exact });
}
function ledgerAfter(report) {
    return after.get(report);
}
/** D1 stores applied_at as CURRENT_TIMESTAMP: `YYYY-MM-DD HH:MM:SS` in UTC. */
function d1Timestamp(ms) {
    return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

;// CONCATENATED MODULE: ./build/src/phases/apply.js







/** How long the ledger re-read after a failed, timed-out or cancelled apply may take. */
const REREAD_TIMEOUT_MS = 30_000;
/**
 * One `wrangler d1 migrations apply` for the database. Afterwards the report says exactly what this run
 * applied, which migration failed (with SQLite's message and line) and what was not attempted; after any
 * failure the ledger is re-read, because after a timeout or kill only the database knows.
 */
async function applyPhase(ctx) {
    const { report, io } = ctx;
    const session = openSession(ctx);
    if (session.command.problem) {
        fail(ctx, { kind: 'wrangler-missing', message: session.command.problem });
        return;
    }
    if (!ctx.ledgerBefore) {
        const read = await readLedger(session);
        if (!read.ok) {
            fail(ctx, read.failure);
            return;
        }
        ctx.ledgerBefore = read.entries;
    }
    const before = ctx.ledgerBefore;
    const expected = pendingMigrations(ctx.migrations, before).map((m) => m.name);
    report.pending ??= expected;
    if (expected.length === 0) {
        // Nothing pending as of a ledger read moments ago: a wrangler run would only re-read it.
        report.applied = [];
        report.status = 'up-to-date';
        rememberLedgerAfter(report, before, true);
        io.info('apply: nothing to apply, the database is up to date');
        return;
    }
    if (session.where === 'remote') {
        const bm = await currentBookmark(session);
        if (bm.ok) {
            report.bookmark = bm.bookmark;
            io.info(`apply: Time Travel bookmark before this run: ${bm.bookmark}`);
        }
        else if (bm.failure.kind === 'cancelled') {
            fail(ctx, bm.failure);
            return;
        }
        else {
            report.notes.push(`Could not record a Time Travel bookmark before applying (${bm.failure.message}).`);
            io.warning(`apply: could not record a Time Travel bookmark: ${bm.failure.message}`);
        }
    }
    const progress = new ApplyProgress();
    const result = await session.run(d1Args(session, ['migrations', 'apply']), {
        onStdout: (chunk) => progress.push(chunk),
        verbose: true,
    });
    progress.end();
    if (succeeded(result)) {
        await recordSuccess(ctx, session, progress, before, expected);
    }
    else {
        await recordFailure(ctx, session, session.classify(result), progress, before, expected);
    }
}
async function recordSuccess(ctx, session, progress, before, expected) {
    const { report, io } = ctx;
    const applied = progress.applied;
    const sameAsExpected = applied.length === expected.length && applied.every((n) => expected.includes(n));
    report.applied = [...applied];
    report.timings = progress.timings;
    if (sameAsExpected) {
        // The ledger now is the one before plus what wrangler confirmed: history needs no extra read.
        const computed = [...before, ...applied.map((name) => ({ name, appliedAt: d1Timestamp(progress.finishedAt.get(name)) }))];
        rememberLedgerAfter(report, computed, false);
    }
    else {
        const after = await readLedger(session, { signal: null, timeoutMs: REREAD_TIMEOUT_MS });
        if (after.ok) {
            rememberLedgerAfter(report, after.entries, true);
            if (!progress.upToDate && applied.length === 0) {
                // wrangler's table could not be read: the ledger diff is the best account there is.
                report.applied = newNames(before, after.entries).filter((n) => expected.includes(n));
            }
            noteConcurrentChanges(ctx, before, after.entries, report.applied);
        }
        else {
            report.notes.push(`Could not re-read the ledger after apply (${after.failure.message}).`);
        }
    }
    report.status = report.applied.length ? 'applied' : 'up-to-date';
    io.info(report.applied.length ? `apply: applied ${report.applied.join(', ')}` : 'apply: nothing was applied, the database is up to date');
}
async function recordFailure(ctx, session, failure, progress, before, expected) {
    const { report, io, target } = ctx;
    const after = await readLedger(session, { signal: null, timeoutMs: REREAD_TIMEOUT_MS });
    let appliedNow;
    let isApplied;
    if (after.ok) {
        const added = newNames(before, after.entries);
        appliedNow = added.filter((n) => expected.includes(n));
        isApplied = (n) => after.entries.some((e) => e.name === n);
        rememberLedgerAfter(report, after.entries, true);
        noteConcurrentChanges(ctx, before, after.entries, appliedNow);
    }
    else {
        appliedNow = [...progress.applied];
        isApplied = (n) => progress.applied.includes(n);
        report.notes.push(`Could not re-read the ledger after the failure (${after.failure.message}); the applied list comes from wrangler's output. Check with \`wrangler d1 migrations list ${target.databaseName} --remote\`.`);
    }
    // A migration failed only if wrangler got as far as sending migrations; an auth or network failure while
    // reading the ledger leaves every pending migration not attempted.
    const inFlight = failure.migration && expected.includes(failure.migration) && !isApplied(failure.migration)
        ? failure.migration
        : progress.started || failure.kind === 'sql-error' || failure.kind === 'too-large'
            ? expected.find((n) => !isApplied(n))
            : undefined;
    const rest = expected.filter((n) => !isApplied(n) && n !== inFlight);
    report.applied = appliedNow;
    report.timings = progress.timings.filter((t) => appliedNow.includes(t.name));
    report.notAttempted = rest;
    report.status = 'failed';
    const detail = failure.sqliteMessage ?? failure.message;
    if (inFlight) {
        const file = ctx.migrations.find((m) => m.name === inFlight);
        const line = file ? failureLine(file.sql, detail) : undefined;
        report.failed = { name: inFlight, message: detail, kind: failure.kind, ...(line ? { line } : {}) };
        report.failure = { phase: 'apply', kind: failure.kind, message: `${inFlight}: ${detail}` };
    }
    else {
        report.failure = { phase: 'apply', kind: failure.kind, message: failure.message };
    }
    io.warning(`apply failed (${failure.kind})${inFlight ? ` at ${inFlight}` : ''}: ${detail}. ` +
        `Applied by this run: ${appliedNow.length ? appliedNow.join(', ') : 'none'}; not attempted: ${rest.length ? rest.join(', ') : 'none'}.`);
    await offerTimeTravel(ctx, session, appliedNow, before);
}
async function offerTimeTravel(ctx, session, appliedNow, before) {
    const { report, io, options, target } = ctx;
    if (session.where !== 'remote') {
        if (options.rollbackOnFailure && appliedNow.length) {
            report.notes.push('rollback-on-failure needs Time Travel, which only remote D1 has; the local database was left as it is.');
        }
        return;
    }
    if (!report.bookmark)
        return;
    const command = restoreCommand(target, report.bookmark);
    if (options.rollbackOnFailure && appliedNow.length) {
        const restored = await restoreBookmark(session, report.bookmark, { signal: null, timeoutMs: Math.max(options.timeoutMs, 60_000) });
        if (restored.ok) {
            const message = `Rolled back: restored ${target.databaseName} to bookmark ${report.bookmark} (its state before this run), undoing ${appliedNow.join(', ')}.` +
                (restored.previousBookmark ? ` To undo the rollback: wrangler d1 time-travel restore ${target.databaseName} --bookmark=${restored.previousBookmark}` : '');
            report.notes.push(message);
            io.warning(message);
            report.applied = [];
            rememberLedgerAfter(report, before, true);
            return;
        }
        const message = `Rollback failed (${restored.failure.message}). To return the database to its state before this run: ${command}`;
        report.notes.push(message);
        io.warning(message);
        return;
    }
    const message = `To return ${target.databaseName} to its state before this run: ${command}`;
    report.notes.push(message);
    io.warning(message);
}
function newNames(before, after) {
    const had = new Set(before.map((e) => e.name));
    return after.filter((e) => !had.has(e.name)).map((e) => e.name);
}
/** Someone else (another workflow?) changed the ledger between preview and apply: say so, claim none of it. */
function noteConcurrentChanges(ctx, before, after, ours) {
    const foreign = newNames(before, after).filter((n) => !ours.includes(n));
    const vanished = before.filter((e) => !after.some((a) => a.name === e.name)).map((e) => e.name);
    if (!foreign.length && !vanished.length)
        return;
    const parts = [];
    if (foreign.length)
        parts.push(`${foreign.join(', ')} ${foreign.length === 1 ? 'was' : 'were'} recorded by someone else`);
    if (vanished.length)
        parts.push(`${vanished.join(', ')} disappeared from it`);
    const message = `The ledger of ${ctx.target.databaseName} changed between preview and apply: ${parts.join('; ')}. ` +
        'Another run may be applying migrations to the same database; serialize deployments (e.g. a workflow `concurrency:` group).';
    ctx.report.notes.push(message);
    ctx.io.warning(message);
}
function fail(ctx, failure) {
    ctx.report.failure = { phase: 'apply', kind: failure.kind, message: failure.message };
    ctx.report.status = 'failed';
    ctx.report.applied ??= [];
    ctx.io.warning(`apply: ${failure.message}`);
}

;// CONCATENATED MODULE: ./build/src/sql/tokenize.js
// Character classes, indexed by char code < 128; everything >= 128 is an identifier character as in SQLite.
const ID_START = new Uint8Array(128);
const ID_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
    const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    const digit = c >= 48 && c <= 57;
    ID_START[c] = alpha ? 1 : 0;
    // SQLite's IdChar() also accepts '$' after the first character.
    ID_CHAR[c] = alpha || digit || c === 36 ? 1 : 0;
}
function isIdChar(c) {
    return c >= 128 ? c !== 0xfeff : ID_CHAR[c] === 1;
}
function isIdStart(c) {
    return c >= 128 ? c !== 0xfeff : ID_START[c] === 1;
}
function tokenize_isDigit(c) {
    return c >= 48 && c <= 57;
}
function isHex(c) {
    return tokenize_isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
function isSpace(c) {
    // SQLite's whitespace set (space, \t, \n, \f, \r) plus the BOM; \v is not whitespace in SQLite.
    return c === 32 || c === 9 || c === 10 || c === 12 || c === 13 || c === 0xfeff;
}
/** Unescape a quoted token: strip the delimiters and collapse doubled closing delimiters. */
function unquote(text, close, terminated) {
    const inner = text.slice(1, terminated ? -1 : undefined);
    if (close === ']')
        return inner;
    return inner.indexOf(close) === -1 ? inner : inner.split(close + close).join(close);
}
/**
 * The same words (keywords, column and table names) occur over and over in a set of migrations: sharing one
 * text and one upper-cased value string per distinct word keeps far fewer strings alive. Bounded, so a
 * long-lived process does not keep every word it ever saw.
 */
const WORD_CACHE_LIMIT = 20_000;
const wordCache = new Map();
function sharedWord(text) {
    let w = wordCache.get(text);
    if (w === undefined) {
        if (wordCache.size >= WORD_CACHE_LIMIT)
            wordCache.clear();
        const upper = text.toUpperCase();
        w = { text, value: upper === text ? text : upper };
        wordCache.set(text, w);
    }
    return w;
}
function tokenize(sql, options = {}) {
    const keepSpaces = options.spaces === true;
    const n = sql.length;
    const out = [];
    let i = 0;
    let line = 1;
    let lineStart = 0;
    const push = (kind, start, end, tokLine, tokCol, value) => {
        const text = sql.slice(start, end);
        out.push({ kind, text, value: value ?? text, start, end, line: tokLine, column: tokCol });
    };
    /** Advance line bookkeeping over [from, to) for tokens that may span lines. */
    const countLines = (from, to) => {
        for (let k = from; k < to; k++) {
            if (sql.charCodeAt(k) === 10) {
                line++;
                lineStart = k + 1;
            }
        }
    };
    while (i < n) {
        const start = i;
        const tokLine = line;
        const col = i - lineStart + 1;
        const c = sql.charCodeAt(i);
        if (isSpace(c)) {
            while (i < n && isSpace(sql.charCodeAt(i))) {
                if (sql.charCodeAt(i) === 10) {
                    line++;
                    lineStart = i + 1;
                }
                i++;
            }
            if (keepSpaces)
                push('space', start, i, tokLine, col);
            continue;
        }
        if (isIdStart(c)) {
            // x'ABCD' blob literal.
            if ((c === 120 || c === 88) && sql.charCodeAt(i + 1) === 39) {
                i += 2;
                while (i < n && sql.charCodeAt(i) !== 39)
                    i++;
                const terminated = i < n;
                if (terminated)
                    i++;
                countLines(start, i);
                push('blob', start, i, tokLine, col, sql.slice(start + 2, terminated ? i - 1 : i));
                continue;
            }
            i++;
            while (i < n && isIdChar(sql.charCodeAt(i)))
                i++;
            const word = sharedWord(sql.slice(start, i));
            out.push({ kind: 'word', text: word.text, value: word.value, start, end: i, line: tokLine, column: col });
            continue;
        }
        if (tokenize_isDigit(c) || (c === 46 && tokenize_isDigit(sql.charCodeAt(i + 1)))) {
            i = scanNumber(sql, i);
            push('number', start, i, tokLine, col);
            continue;
        }
        switch (c) {
            case 39: // '
            case 34: // "
            case 96: {
                // `
                const delim = c;
                i++;
                let terminated = false;
                while (i < n) {
                    const d = sql.charCodeAt(i);
                    if (d === delim) {
                        if (sql.charCodeAt(i + 1) === delim) {
                            i += 2;
                            continue;
                        }
                        i++;
                        terminated = true;
                        break;
                    }
                    i++;
                }
                countLines(start, i);
                const kind = c === 39 ? 'string' : c === 34 ? 'dquoted' : 'backticked';
                const close = String.fromCharCode(delim);
                push(kind, start, i, tokLine, col, unquote(sql.slice(start, i), close, terminated));
                continue;
            }
            case 91: {
                // [bracketed identifier]: no escapes, ends at the first ']'.
                const close = sql.indexOf(']', i + 1);
                i = close === -1 ? n : close + 1;
                countLines(start, i);
                push('bracketed', start, i, tokLine, col, unquote(sql.slice(start, i), ']', close !== -1));
                continue;
            }
            case 45: // -
                if (sql.charCodeAt(i + 1) === 45) {
                    const nl = sql.indexOf('\n', i + 2);
                    i = nl === -1 ? n : nl;
                    push('comment', start, i, tokLine, col);
                    continue;
                }
                if (sql.charCodeAt(i + 1) === 62) {
                    i += sql.charCodeAt(i + 2) === 62 ? 3 : 2;
                }
                else
                    i++;
                push('punct', start, i, tokLine, col);
                continue;
            case 47: // /
                if (sql.charCodeAt(i + 1) === 42) {
                    const close = sql.indexOf('*/', i + 2);
                    i = close === -1 ? n : close + 2;
                    countLines(start, i);
                    push('comment', start, i, tokLine, col);
                    continue;
                }
                i++;
                push('punct', start, i, tokLine, col);
                continue;
            case 63: // ?NNN
                i++;
                while (i < n && tokenize_isDigit(sql.charCodeAt(i)))
                    i++;
                push('param', start, i, tokLine, col);
                continue;
            case 58: // :
                // `::` is one token here (PostgreSQL cast); `:name` is a parameter like $name and @name.
                i = sql.charCodeAt(i + 1) === 58 ? i + 2 : scanVariable(sql, i);
                push(i - start > 1 && sql.charCodeAt(start + 1) !== 58 ? 'param' : 'punct', start, i, tokLine, col);
                continue;
            case 36: // $
            case 64: // @
            case 35: {
                // #
                i = scanVariable(sql, i);
                push(i - start > 1 ? 'param' : 'punct', start, i, tokLine, col);
                continue;
            }
            default:
                i += punctLength(sql, i, c);
                push('punct', start, i, tokLine, col);
        }
    }
    return out;
}
function scanNumber(sql, start) {
    const n = sql.length;
    let i = start;
    const c1 = sql.charCodeAt(i + 1);
    if (sql.charCodeAt(i) === 48 && (c1 === 120 || c1 === 88) && isHex(sql.charCodeAt(i + 2))) {
        i += 2;
        while (i < n && (isHex(sql.charCodeAt(i)) || sql.charCodeAt(i) === 95))
            i++;
    }
    else {
        // Digits may contain '_' separators (SQLite 3.46+).
        while (i < n && (tokenize_isDigit(sql.charCodeAt(i)) || sql.charCodeAt(i) === 95))
            i++;
        if (sql.charCodeAt(i) === 46) {
            i++;
            while (i < n && (tokenize_isDigit(sql.charCodeAt(i)) || sql.charCodeAt(i) === 95))
                i++;
        }
        const e = sql.charCodeAt(i);
        if (e === 101 || e === 69) {
            const s = sql.charCodeAt(i + 1);
            if (tokenize_isDigit(s) || ((s === 43 || s === 45) && tokenize_isDigit(sql.charCodeAt(i + 2)))) {
                i += 2;
                while (i < n && tokenize_isDigit(sql.charCodeAt(i)))
                    i++;
            }
        }
    }
    // SQLite folds trailing identifier characters into the (then illegal) number token: `12abc` is one token.
    while (i < n && isIdChar(sql.charCodeAt(i)))
        i++;
    return i;
}
/** `$name`, `@name`, `:name`, `#name`, including Tcl-style `$a::b` and `$a(x)` as SQLite accepts them. */
function scanVariable(sql, start) {
    const n = sql.length;
    let i = start + 1;
    let ids = 0;
    while (i < n) {
        const c = sql.charCodeAt(i);
        if (isIdChar(c)) {
            ids++;
            i++;
        }
        else if (c === 40 && ids > 0) {
            while (i < n && !isSpace(sql.charCodeAt(i)) && sql.charCodeAt(i) !== 41)
                i++;
            if (sql.charCodeAt(i) === 41)
                i++;
            break;
        }
        else if (c === 58 && sql.charCodeAt(i + 1) === 58 && ids > 0) {
            i += 2;
        }
        else
            break;
    }
    return i;
}
function punctLength(sql, i, c) {
    const d = sql.charCodeAt(i + 1);
    switch (c) {
        case 61: // = ==
            return d === 61 ? 2 : 1;
        case 60: // < <= <> <<
            return d === 61 || d === 62 || d === 60 ? 2 : 1;
        case 62: // > >= >>
            return d === 61 || d === 62 ? 2 : 1;
        case 33: // != (a lone ! is illegal in SQLite)
            return d === 61 ? 2 : 1;
        case 124: // || |
            return d === 124 ? 2 : 1;
        default: {
            // Keep surrogate pairs together so an illegal emoji stays one token.
            return c >= 0xd800 && c <= 0xdbff && i + 1 < sql.length ? 2 : 1;
        }
    }
}

;// CONCATENATED MODULE: ./build/src/sql/suppress.js
/**
 * Parsing of inline suppression comments:
 *   -- d1-migrate-ignore: rule-a, rule-b -- why
 *   -- d1-migrate-ignore-file: rule-a
 * Ids are comma separated; anything after the first id that is followed by other words (a reason) is ignored.
 */
const STATEMENT_MARK = /\bd1-migrate-ignore:/i;
const FILE_MARK = /\bd1-migrate-ignore-file:/i;
const RULE_ID = /^[a-z0-9][a-z0-9-]*$/i;
function parseIgnoreComment(comment, kind) {
    // Cheap pre-check: nearly every comment in real migrations is not a suppression.
    if (comment.indexOf('d1-migrate-ignore') === -1 && comment.indexOf('D1-MIGRATE-IGNORE') === -1)
        return [];
    const mark = kind === 'file' ? FILE_MARK : STATEMENT_MARK;
    const m = mark.exec(comment);
    if (!m)
        return [];
    let rest = comment.slice(m.index + m[0].length);
    const nl = rest.indexOf('\n');
    if (nl !== -1)
        rest = rest.slice(0, nl);
    rest = rest.replace(/\*\/.*$/, '');
    const reason = rest.indexOf('--');
    if (reason !== -1)
        rest = rest.slice(0, reason);
    const ids = [];
    for (const part of rest.split(',')) {
        const words = part.trim().split(/\s+/);
        const id = words[0] ?? '';
        if (!RULE_ID.test(id))
            break;
        ids.push(id.toLowerCase());
        if (words.length > 1)
            break;
    }
    return ids;
}

;// CONCATENATED MODULE: ./build/src/sql/split.js


/*
 * Statement boundaries follow sqlite3_complete() (SQLite's complete.c), which is also what workerd uses to
 * slice D1 requests (sqlite3_complete_length): a ';' ends a statement unless it is inside the body of a
 * CREATE [TEMP] TRIGGER, whose end is a ';' followed by END and another ';'. CASE ... END needs no special
 * handling: inside a trigger body only an END directly after a ';' counts.
 */
const TK_SEMI = 0;
const TK_OTHER = 2;
const TK_EXPLAIN = 3;
const TK_CREATE = 4;
const TK_TEMP = 5;
const TK_TRIGGER = 6;
const TK_END = 7;
// States: 0 INVALID, 1 START, 2 NORMAL, 3 EXPLAIN, 4 CREATE, 5 TRIGGER, 6 SEMI, 7 END (columns: token types
// SEMI, WS, OTHER, EXPLAIN, CREATE, TEMP, TRIGGER, END), copied from complete.c.
const TRANS = [
    [1, 0, 2, 3, 4, 2, 2, 2],
    [1, 1, 2, 3, 4, 2, 2, 2],
    [1, 2, 2, 2, 2, 2, 2, 2],
    [1, 3, 3, 2, 4, 2, 2, 2],
    [1, 4, 2, 2, 2, 4, 5, 2],
    [6, 5, 5, 5, 5, 5, 5, 5],
    [6, 6, 5, 5, 5, 5, 5, 7],
    [1, 7, 5, 5, 5, 5, 5, 5],
];
const START = 1;
function tokenType(tok) {
    if (tok.kind === 'punct')
        return tok.text === ';' ? TK_SEMI : TK_OTHER;
    if (tok.kind !== 'word')
        return TK_OTHER;
    switch (tok.value) {
        case 'CREATE':
            return TK_CREATE;
        case 'TRIGGER':
            return TK_TRIGGER;
        case 'TEMP':
        case 'TEMPORARY':
            return TK_TEMP;
        case 'END':
            return TK_END;
        case 'EXPLAIN':
            return TK_EXPLAIN;
        default:
            return TK_OTHER;
    }
}
function lastLine(tok) {
    let line = tok.line;
    for (let k = tok.text.indexOf('\n'); k !== -1; k = tok.text.indexOf('\n', k + 1))
        line++;
    return line;
}
/** Rule ids named by the `-- d1-migrate-ignore:` comments in the block of comment lines right above `line`. */
function suppressionsAbove(pending, line) {
    const ids = new Set();
    let expected = line;
    for (let k = pending.length - 1; k >= 0; k--) {
        const c = pending[k];
        // Contiguous: the comment ends on the line above the one we reached (or shares it, `/* x */ DROP ...`).
        if (lastLine(c) < expected - 1)
            break;
        expected = c.line;
        for (const id of parseIgnoreComment(c.text, 'statement'))
            ids.add(id);
    }
    return ids;
}
function parseMigration(file) {
    const sql = file.sql;
    const tokens = tokenize(sql);
    const comments = [];
    const statements = [];
    const fileSuppressed = new Set();
    let state = START;
    let current = [];
    let pending = [];
    let suppressed = new Set();
    const finish = (terminator) => {
        const first = current[0];
        const last = current[current.length - 1];
        statements.push({
            text: sql.slice(first.start, last.end),
            start: first.start,
            end: last.end,
            line: first.line,
            column: first.column,
            endLine: terminator ? terminator.line : lastLine(last),
            tokens: current,
            suppressed,
        });
        current = [];
    };
    for (const tok of tokens) {
        if (tok.kind === 'comment') {
            comments.push(tok);
            pending.push(tok);
            for (const id of parseIgnoreComment(tok.text, 'file'))
                fileSuppressed.add(id);
            continue;
        }
        state = TRANS[state][tokenType(tok)];
        if (state === START) {
            // Only a ';' leads back to START: the statement (if any) is complete.
            if (current.length > 0)
                finish(tok);
            pending = [];
            continue;
        }
        if (current.length === 0) {
            suppressed = suppressionsAbove(pending, tok.line);
        }
        pending = [];
        current.push(tok);
    }
    // A last statement without ';' still runs (sqlite3_prepare takes it as it is).
    if (current.length > 0)
        finish(null);
    return { file, statements, comments, fileSuppressed, empty: statements.length === 0 };
}
/**
 * Drop findings the migrations suppress: by `-- d1-migrate-ignore-file: id` anywhere in the file, or by
 * `-- d1-migrate-ignore: id` right above the statement the finding's line falls in.
 */
function split_applySuppressions(findings, parsed) {
    const byFile = new Map();
    for (const p of parsed)
        byFile.set(p.file.relPath, p);
    return findings.filter((f) => {
        if (f.file === undefined)
            return true;
        const p = byFile.get(f.file);
        if (!p)
            return true;
        if (p.fileSuppressed.has(f.rule))
            return false;
        if (f.line === undefined)
            return true;
        const line = f.line;
        return !p.statements.some((s) => s.line <= line && line <= s.endLine && s.suppressed.has(f.rule));
    });
}

;// CONCATENATED MODULE: ./build/src/replay/classify.js
/**
 * Reads just enough of a statement that SQLite has already accepted to know what kind it is. Because the
 * statement parsed, a tiny tokenizer over its head is reliable.
 */
/** The first `max` tokens of a statement, skipping whitespace and comments. */
function headTokens(sql, max) {
    const out = [];
    let i = 0;
    while (i < sql.length && out.length < max) {
        const c = sql[i];
        if (/\s/.test(c)) {
            i++;
        }
        else if (c === '-' && sql[i + 1] === '-') {
            const nl = sql.indexOf('\n', i);
            i = nl === -1 ? sql.length : nl + 1;
        }
        else if (c === '/' && sql[i + 1] === '*') {
            const close = sql.indexOf('*/', i + 2);
            i = close === -1 ? sql.length : close + 2;
        }
        else if (c === '"' || c === '`' || c === '[') {
            const closeCh = c === '[' ? ']' : c;
            let j = i + 1;
            let value = '';
            for (;;) {
                if (j >= sql.length)
                    break;
                if (sql[j] === closeCh) {
                    if (closeCh !== ']' && sql[j + 1] === closeCh) {
                        value += closeCh;
                        j += 2;
                        continue;
                    }
                    break;
                }
                value += sql[j++];
            }
            out.push({ value, quoted: true });
            i = j + 1;
        }
        else if (/[A-Za-z0-9_$\u0080-\uffff]/.test(c)) {
            let j = i;
            while (j < sql.length && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j]))
                j++;
            // Original spelling: the token may be a table name; keywords are compared case-insensitively.
            out.push({ value: sql.slice(i, j), quoted: false });
            i = j;
        }
        else {
            out.push({ value: c, quoted: false });
            i++;
        }
    }
    return out;
}
function isWord(t, word) {
    return !!t && !t.quoted && t.value.toUpperCase() === word;
}
/** Skips `schema.` in `[schema.]name`; returns the index of the name token. */
function nameIndex(tokens, i) {
    return tokens[i + 1]?.value === '.' && !tokens[i + 1].quoted ? i + 2 : i;
}
/**
 * What the replay needs to know about a statement. Transaction control, `PRAGMA foreign_keys`,
 * ATTACH/DETACH and VACUUM are left to the static rules (and executing them would break the savepoint or,
 * for foreign_keys=OFF, hide what D1 really does).
 */
function classifyStatement(sql) {
    const t = headTokens(sql, 9);
    const first = t[0]?.quoted ? '' : (t[0]?.value.toUpperCase() ?? '');
    switch (first) {
        case 'BEGIN':
        case 'COMMIT':
        case 'END':
        case 'ROLLBACK':
        case 'SAVEPOINT':
        case 'RELEASE':
            return { kind: 'transaction' };
        case 'ATTACH':
        case 'DETACH':
            return { kind: 'attach' };
        case 'VACUUM':
            return { kind: 'vacuum' };
        case 'PRAGMA': {
            const n = nameIndex(t, 1);
            if (t[n] && t[n].value.toLowerCase() === 'foreign_keys')
                return { kind: 'pragma-foreign-keys' };
            return { kind: 'other' };
        }
        case 'DROP': {
            if (!isWord(t[1], 'TABLE'))
                return { kind: 'other' };
            let i = 2;
            if (isWord(t[2], 'IF') && isWord(t[3], 'EXISTS'))
                i = 4;
            const n = nameIndex(t, i);
            if (!t[n])
                return { kind: 'other' };
            return n === i ? { kind: 'drop-table', table: t[n].value } : { kind: 'drop-table', table: t[n].value, schema: t[i].value };
        }
        case 'ALTER': {
            if (!isWord(t[1], 'TABLE'))
                return { kind: 'other' };
            const n = nameIndex(t, 2);
            if (isWord(t[n + 1], 'RENAME') && isWord(t[n + 2], 'TO') && t[n + 3]) {
                return { kind: 'rename-table', from: t[n].value, to: t[n + 3].value };
            }
            return { kind: 'other' };
        }
        default:
            return { kind: 'other' };
    }
}
/** A word of ASCII letters as a number, 5 bits a letter, case-insensitive (9 letters fit in a double exactly). */
function letterKey(word) {
    let key = 0;
    for (let i = 0; i < word.length; i++)
        key = key * 32 + (word.charCodeAt(i) & 0x1f);
    return key;
}
/** First words for which classifyStatement can answer something other than `other`. */
const CLASSIFIED_VERBS = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'ATTACH', 'DETACH', 'VACUUM', 'PRAGMA', 'DROP', 'ALTER'].map(letterKey));
const LONGEST_VERB = 9;
/**
 * Whether classifyStatement() of the statement whose UTF-8 text starts at `bytes[start]` (its first token, not
 * whitespace or a comment) can be anything but `other`, read from its first bytes without decoding it: false
 * only when its first word is plain ASCII and not one of the verbs above, or it starts with punctuation or a
 * quote. Anything non-ASCII is left to classifyStatement.
 */
function mayClassify(bytes, start) {
    let key = 0;
    let lettersOnly = true;
    let i = start;
    for (; i < bytes.length; i++) {
        const c = bytes[i];
        if (c >= 0x80)
            return true;
        if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a))
            key = key * 32 + (c & 0x1f);
        else if ((c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x24)
            lettersOnly = false;
        else
            break;
    }
    return lettersOnly && i > start && i - start <= LONGEST_VERB && CLASSIFIED_VERBS.has(key);
}

;// CONCATENATED MODULE: external "node:module"
const external_node_module_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:module");
;// CONCATENATED MODULE: external "node:url"
const external_node_url_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");
;// CONCATENATED MODULE: ./build/src/replay/sqlite.js
/**
 * Loads the official SQLite WASM build once per process and opens connections configured like local D1
 * (workerd): foreign keys on, double-quoted string literals accepted.
 */




/**
 * The bundle (dist/) ships node.mjs + sqlite3.wasm in dist/sqlite/ because webpack mangles the module when it
 * inlines it; from source (tests, tsx) the package resolves normally.
 */
function sqliteModulePath() {
    const here = (0,external_node_path_.dirname)((0,external_node_url_namespaceObject.fileURLToPath)(import.meta.url));
    for (const c of [(0,external_node_path_.join)(here, 'sqlite', 'node.mjs'), (0,external_node_path_.join)(here, '..', 'sqlite', 'node.mjs')])
        if ((0,external_node_fs_.existsSync)(c))
            return c;
    return (0,external_node_module_namespaceObject.createRequire)(import.meta.url).resolve('@sqlite.org/sqlite-wasm');
}
let loading;
/** The initialised module; initialising costs ~40 ms, so it is shared by every replay in the process. */
function loadSqlite() {
    if (!loading) {
        loading = (async () => {
            const mod = (await import(/* webpackIgnore: true */ (0,external_node_url_namespaceObject.pathToFileURL)(sqliteModulePath()).href));
            return mod.default();
        })();
        // A failed load must not poison every later call in a long-lived process.
        loading.catch(() => {
            loading = undefined;
        });
    }
    return loading;
}
/** Turns double-quoted string literals on or off for DML and DDL alike. */
function setDoubleQuotedStrings(sqlite3, db, on) {
    const { capi } = sqlite3;
    capi.sqlite3_db_config(db.pointer, capi.SQLITE_DBCONFIG_DQS_DML, on ? 1 : 0, 0);
    capi.sqlite3_db_config(db.pointer, capi.SQLITE_DBCONFIG_DQS_DDL, on ? 1 : 0, 0);
}
/**
 * Runs SQL without result rows and returns SQLite's error message, or undefined on success. Unlike oo1's
 * exec it neither throws nor logs a console warning for an expected failure.
 */
function tryExec(sqlite3, db, sql) {
    const { capi } = sqlite3;
    return capi.sqlite3_exec(db.pointer, sql, 0, 0, 0) === capi.SQLITE_OK ? undefined : capi.sqlite3_errmsg(db.pointer);
}
/**
 * Steps a statement prepared once and kept (savepoint control), then resets it for the next use; returns
 * SQLite's error message, if any.
 */
function stepPrepared(sqlite3, db, stmt) {
    const { capi, wasm } = sqlite3;
    const rc = wasm.exports.sqlite3_step(stmt);
    const error = rc === capi.SQLITE_DONE ? undefined : capi.sqlite3_errmsg(db.pointer);
    wasm.exports.sqlite3_reset(stmt);
    return error;
}
/**
 * A fresh in-memory database with D1's behaviour: workerd accepts double-quoted strings (this build is
 * compiled with DQS=0) and D1 always enforces foreign keys.
 */
function openD1Like(sqlite3) {
    const db = new sqlite3.oo1.DB(':memory:', 'c');
    setDoubleQuotedStrings(sqlite3, db, true);
    db.exec('PRAGMA foreign_keys = ON');
    return db;
}

;// CONCATENATED MODULE: ./build/src/replay/wrangler-text.js
/**
 * The exact text wrangler 4.86 sends for one migration (packages/wrangler/src/d1/migrations/apply.ts,
 * helpers.ts, trimmer.ts), so the replay fails exactly where `wrangler d1 migrations apply --local` does.
 */
/** wrangler's initMigrationsTable statement; the table name is not quoted before wrangler 4.106. */
function createMigrationsTableSql(table) {
    return `CREATE TABLE IF NOT EXISTS ${table}(
		id         INTEGER PRIMARY KEY AUTOINCREMENT,
		name       TEXT UNIQUE,
		applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);`;
}
/**
 * The bookkeeping wrangler appends to the file. The name is interpolated unescaped (wrangler < 4.106), so a
 * `'` in a file name breaks the INSERT — that is what the pinned wrangler does, so the replay does it too.
 */
function bookkeepingSql(table, name) {
    return `
								INSERT INTO ${table} (name)
								values ('${name}');
						`;
}
const SEVERAL_TRANSACTIONS_MESSAGE = 'Wrangler could not process the provided SQL file, as it contains several transactions.\nD1 runs your SQL in a transaction for you.\nPlease export an SQL file from your SQLite database and try again.';
/**
 * Local wrangler's trimSqlQuery: if the text mentions `BEGIN TRANSACTION` anywhere (comments included), it
 * removes the first literal `BEGIN TRANSACTION;` and the first literal `COMMIT;`, and refuses the file if
 * `BEGIN TRANSACTION` still occurs. Removed text is replaced by spaces rather than deleted so byte offsets
 * and lines stay those of the file.
 */
function wranglerTrim(sql) {
    const marker = 'BEGIN TRANSACTION';
    if (!sql.includes(marker))
        return { ok: true, sql };
    const blank = (s, what) => {
        const i = s.indexOf(what);
        return i === -1 ? s : s.slice(0, i) + ' '.repeat(what.length) + s.slice(i + what.length);
    };
    const trimmed = blank(blank(sql, 'BEGIN TRANSACTION;'), 'COMMIT;');
    const left = trimmed.indexOf(marker);
    return left === -1 ? { ok: true, sql: trimmed } : { ok: false, index: left };
}

;// CONCATENATED MODULE: ./build/src/replay/statements.js
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** SQL text copied into WASM memory; offsets are UTF-8 byte offsets into it. */
class SqlText {
    sqlite3;
    bytes;
    /** Byte offset where each line starts; computed when a position is first asked for. */
    lineStartsCache;
    mem;
    sqlPtr;
    freed = false;
    constructor(sqlite3, text) {
        this.sqlite3 = sqlite3;
        this.bytes = encoder.encode(text);
        const { wasm } = sqlite3;
        // Two pointer slots (ppStmt, pzTail) followed by the NUL-terminated SQL.
        this.mem = wasm.alloc(8 + this.bytes.length + 1);
        this.sqlPtr = this.mem + 8;
        const heap = wasm.heap8u();
        heap.set(this.bytes, this.sqlPtr);
        heap[this.sqlPtr + this.bytes.length] = 0;
    }
    get length() {
        return this.bytes.length;
    }
    get lineStarts() {
        if (!this.lineStartsCache) {
            const starts = [0];
            const b = this.bytes;
            for (let i = b.indexOf(0x0a); i !== -1; i = b.indexOf(0x0a, i + 1))
                starts.push(i + 1);
            this.lineStartsCache = starts;
        }
        return this.lineStartsCache;
    }
    /** 1-based line of a byte offset. */
    lineAt(offset) {
        const lineStarts = this.lineStarts;
        let lo = 0;
        let hi = lineStarts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (lineStarts[mid] <= offset)
                lo = mid;
            else
                hi = mid - 1;
        }
        return lo + 1;
    }
    /** 1-based column (in characters) of a byte offset. */
    columnAt(offset) {
        const lineStart = this.lineStarts[this.lineAt(offset) - 1];
        return decoder.decode(this.bytes.subarray(lineStart, offset)).length + 1;
    }
    slice(start, end) {
        return decoder.decode(this.bytes.subarray(start, end));
    }
    hasByte(start, end, byte) {
        // Search only [start, end): indexOf from `start` alone scans to the end of the file for every statement.
        return this.bytes.subarray(start, end).indexOf(byte) !== -1;
    }
    /** Offset of the first byte at or after `from` that is not whitespace, a comment or an empty `;`. */
    skipTrivia(from) {
        const b = this.bytes;
        let i = from;
        while (i < b.length) {
            const c = b[i];
            if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x3b)
                i++;
            else if (c === 0x2d && b[i + 1] === 0x2d) {
                while (i < b.length && b[i] !== 0x0a)
                    i++;
            }
            else if (c === 0x2f && b[i + 1] === 0x2a) {
                const close = findSeq(b, i + 2, 0x2a, 0x2f);
                i = close === -1 ? b.length : close + 2;
            }
            else
                break;
        }
        return i;
    }
    /**
     * Prepares the statement starting at `from`. `stmt` is 0 when only comments/whitespace remain.
     * The caller must finalize a returned statement.
     */
    prepare(db, from) {
        this.assertLive();
        const { capi, wasm } = this.sqlite3;
        const start = this.skipTrivia(from);
        const ppStmt = this.mem;
        const pzTail = this.mem + 4;
        // The raw export: capi's wrapper converts every argument and takes a scoped allocation on each call.
        let heap = wasm.heap8u();
        writePtr(heap, ppStmt, 0);
        writePtr(heap, pzTail, 0);
        // +1: the length includes the NUL terminator, so SQLite uses the text in place instead of copying the rest of the file per statement.
        const rc = wasm.exports.sqlite3_prepare_v3(db, this.sqlPtr + start, this.bytes.length - start + 1, 0, ppStmt, pzTail);
        if (rc !== capi.SQLITE_OK) {
            const off = capi.sqlite3_error_offset(db);
            return { ok: false, message: capi.sqlite3_errmsg(db), start, errorOffset: off >= 0 ? start + off : -1 };
        }
        // Preparing may have grown the memory, which detaches the old view.
        heap = wasm.heap8u();
        const stmt = readPtr(heap, ppStmt);
        const tail = readPtr(heap, pzTail);
        return { ok: true, stmt, start, end: stmt ? tail - this.sqlPtr : this.bytes.length };
    }
    /** Prepares exactly the bytes [start, end) (one statement already delimited), for a second look at it. */
    prepareRange(db, start, end) {
        this.assertLive();
        const { capi, wasm } = this.sqlite3;
        const ppStmt = this.mem;
        wasm.pokePtr(ppStmt, 0);
        const rc = capi.sqlite3_prepare_v3(db, this.sqlPtr + start, end - start, 0, ppStmt, 0);
        if (rc !== capi.SQLITE_OK) {
            const off = capi.sqlite3_error_offset(db);
            return { stmt: 0, message: capi.sqlite3_errmsg(db), errorOffset: off >= 0 ? start + off : undefined };
        }
        return { stmt: wasm.peekPtr(ppStmt) };
    }
    /**
     * End of the statement starting at `start` when SQLite could not prepare it (so gave no tail): the first
     * `;` after which sqlite3_complete() says the statement is complete. A `;` byte never occurs inside a
     * multi-byte UTF-8 sequence, so scanning bytes is safe.
     */
    statementEnd(start) {
        const { capi } = this.sqlite3;
        let i = start;
        for (;;) {
            i = this.bytes.indexOf(0x3b, i);
            if (i === -1)
                return this.bytes.length;
            i++;
            if (capi.sqlite3_complete(this.slice(start, i)))
                return i;
        }
    }
    free() {
        if (!this.freed) {
            this.sqlite3.wasm.dealloc(this.mem);
            this.freed = true;
        }
    }
    assertLive() {
        if (this.freed)
            throw new Error('SqlText used after free()');
    }
}
/** A 32-bit little-endian pointer (this build is wasm32). */
function readPtr(heap, at) {
    return (heap[at] | (heap[at + 1] << 8) | (heap[at + 2] << 16) | (heap[at + 3] << 24)) >>> 0;
}
function writePtr(heap, at, value) {
    heap[at] = value & 0xff;
    heap[at + 1] = (value >>> 8) & 0xff;
    heap[at + 2] = (value >>> 16) & 0xff;
    heap[at + 3] = (value >>> 24) & 0xff;
}
function findSeq(b, from, c1, c2) {
    for (let i = from; i + 1 < b.length; i++)
        if (b[i] === c1 && b[i + 1] === c2)
            return i;
    return -1;
}
/** SQLite messages that mean the text does not parse, as opposed to naming something that does not exist. */
function isParseError(message) {
    return /^near ".*": syntax error$|^incomplete input$|^unrecognized token:|^syntax error/s.test(message);
}
/** The first line of a statement, for messages (without a trailing `;`, cut at 100 characters). */
function firstLine(sql) {
    const line = sql.trim().split(/\r?\n/)[0].trim().replace(/;$/, '');
    return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

;// CONCATENATED MODULE: ./build/src/replay/data/analyse.js
/**
 * What the data check needs to know about a migration's statements before and after running them: which
 * tables a statement changes on purpose (so their row changes are not "lost"), whether it can behave
 * differently once tables hold rows, and every name it mentions (to bound the tables worth filling).
 */


/** Token kinds that can name a table (SQLite accepts a 'string' as a name in some places). */
const NAME_KINDS = new Set(['word', 'dquoted', 'bracketed', 'backticked', 'string']);
/** Significant tokens (no comments) of one statement. */
function significant(sql) {
    return tokenize(sql).filter((t) => t.kind !== 'comment');
}
/** Every identifier-like token of `sql`, lower-cased: a superset of the tables and views it can touch. */
function namesIn(sql, into = new Set()) {
    for (const t of tokenize(sql))
        if (NAME_KINDS.has(t.kind))
            into.add(t.value.toLowerCase());
    return into;
}
function analyse_isWord(t, ...words) {
    return !!t && t.kind === 'word' && words.includes(t.value);
}
function isPunct(t, text) {
    return !!t && t.kind === 'punct' && t.text === text;
}
/** A name as written (tokenize upper-cases words), unquoted. */
function spelling(t) {
    return t.kind === 'word' ? t.text : t.value;
}
/** The unquoted name at `i`, skipping `schema.`; returns the name and the index after it. */
function nameAt(tokens, i) {
    const t = tokens[i];
    if (!t || !NAME_KINDS.has(t.kind))
        return undefined;
    if (isPunct(tokens[i + 1], '.') && tokens[i + 2] && NAME_KINDS.has(tokens[i + 2].kind))
        return { name: spelling(tokens[i + 2]), next: i + 3 };
    return { name: spelling(t), next: i + 1 };
}
/** Index after a balanced parenthesised group starting at `i` (which must be '('). */
function skipGroup(tokens, i) {
    let depth = 0;
    for (let k = i; k < tokens.length; k++) {
        if (isPunct(tokens[k], '('))
            depth++;
        else if (isPunct(tokens[k], ')') && --depth === 0)
            return k + 1;
    }
    return tokens.length;
}
/** Index of the verb after a leading WITH clause (`WITH [RECURSIVE] x [(cols)] AS [[NOT] MATERIALIZED] (...), ...`). */
function skipWith(tokens) {
    if (!analyse_isWord(tokens[0], 'WITH'))
        return 0;
    let i = analyse_isWord(tokens[1], 'RECURSIVE') ? 2 : 1;
    for (;;) {
        i++; // the CTE name
        if (isPunct(tokens[i], '('))
            i = skipGroup(tokens, i);
        if (analyse_isWord(tokens[i], 'AS'))
            i++;
        if (analyse_isWord(tokens[i], 'NOT'))
            i++;
        if (analyse_isWord(tokens[i], 'MATERIALIZED'))
            i++;
        if (isPunct(tokens[i], '('))
            i = skipGroup(tokens, i);
        if (isPunct(tokens[i], ',')) {
            i++;
            continue;
        }
        return i;
    }
}
function analyseStatement(sql) {
    return analyseTokens(significant(sql), sql);
}
/** analyseStatement() for a statement already tokenized (significant tokens only). */
function analyseTokens(tokens, sql) {
    const head = firstLine(sql);
    const facts = { targets: [], dataDependent: false, replace: false, head };
    const v = skipWith(tokens);
    const verb = tokens[v]?.kind === 'word' ? tokens[v].value : '';
    switch (verb) {
        case 'DELETE': {
            const n = nameAt(tokens, analyse_isWord(tokens[v + 1], 'FROM') ? v + 2 : v + 1);
            facts.dataDependent = true;
            if (n) {
                facts.targets.push({ table: n.name, how: 'delete' });
                facts.writes = n.name;
            }
            return facts;
        }
        case 'UPDATE': {
            let i = v + 1;
            if (analyse_isWord(tokens[i], 'OR')) {
                facts.replace = analyse_isWord(tokens[i + 1], 'REPLACE');
                i += 2;
            }
            const n = nameAt(tokens, i);
            facts.dataDependent = true;
            if (n) {
                facts.targets.push({ table: n.name, how: 'update' });
                facts.writes = n.name;
            }
            return facts;
        }
        case 'INSERT':
        case 'REPLACE': {
            let i = v + 1;
            if (verb === 'REPLACE')
                facts.replace = true;
            if (analyse_isWord(tokens[i], 'OR')) {
                facts.replace = analyse_isWord(tokens[i + 1], 'REPLACE');
                i += 2;
            }
            if (analyse_isWord(tokens[i], 'INTO'))
                i++;
            const n = nameAt(tokens, i);
            facts.dataDependent = true;
            if (n) {
                facts.writes = n.name;
                // An upsert's DO UPDATE changes existing rows on purpose, like an UPDATE.
                const doUpdate = tokens.some((t, k) => analyse_isWord(t, 'DO') && analyse_isWord(tokens[k + 1], 'UPDATE'));
                if (doUpdate)
                    facts.targets.push({ table: n.name, how: 'upsert' });
            }
            return facts;
        }
        case 'DROP': {
            if (analyse_isWord(tokens[v + 1], 'INDEX')) {
                const n = nameAt(tokens, analyse_isWord(tokens[v + 2], 'IF') && analyse_isWord(tokens[v + 3], 'EXISTS') ? v + 4 : v + 2);
                if (n)
                    facts.index = { name: n.name, drop: true };
                return facts;
            }
            if (!analyse_isWord(tokens[v + 1], 'TABLE'))
                return facts;
            const i = analyse_isWord(tokens[v + 2], 'IF') && analyse_isWord(tokens[v + 3], 'EXISTS') ? v + 4 : v + 2;
            const n = nameAt(tokens, i);
            // The implicit DELETE of DROP TABLE fires foreign key actions (D1 keeps foreign keys on).
            facts.dataDependent = true;
            if (n)
                facts.targets.push({ table: n.name, how: 'drop' });
            return facts;
        }
        case 'ALTER': {
            if (!analyse_isWord(tokens[v + 1], 'TABLE'))
                return facts;
            const n = nameAt(tokens, v + 2);
            if (!n)
                return facts;
            facts.targets.push({ table: n.name, how: 'alter' });
            const action = tokens[n.next];
            if (analyse_isWord(action, 'RENAME') && analyse_isWord(tokens[n.next + 1], 'TO')) {
                const to = nameAt(tokens, n.next + 2);
                if (to)
                    facts.rename = { from: n.name, to: to.name };
            }
            else if (analyse_isWord(action, 'ADD')) {
                // SQLite checks NOT NULL, CHECK, REFERENCES and generated columns of a new column against existing
                // rows only (since 3.37), so an empty table accepts what a filled one rejects.
                facts.dataDependent = tokens.slice(n.next + 1).some((t) => analyse_isWord(t, 'NOT', 'CHECK', 'REFERENCES', 'GENERATED', 'AS', 'UNIQUE', 'PRIMARY') || isPunct(t, '('));
            }
            return facts;
        }
        case 'CREATE': {
            let c = v + 1;
            if (analyse_isWord(tokens[c], 'TEMP', 'TEMPORARY'))
                c++;
            const virtual = analyse_isWord(tokens[c], 'VIRTUAL');
            if (virtual)
                c++;
            if (analyse_isWord(tokens[c], 'TABLE')) {
                if (analyse_isWord(tokens[c + 1], 'IF') && analyse_isWord(tokens[c + 2], 'NOT') && analyse_isWord(tokens[c + 3], 'EXISTS'))
                    c += 3;
                const n = nameAt(tokens, c + 1);
                if (n)
                    facts.creates = { table: n.name, virtual };
                return facts;
            }
            const unique = analyse_isWord(tokens[v + 1], 'UNIQUE');
            const k = unique ? v + 2 : v + 1;
            if (!analyse_isWord(tokens[k], 'INDEX'))
                return facts;
            const n = nameAt(tokens, analyse_isWord(tokens[k + 1], 'IF') && analyse_isWord(tokens[k + 2], 'NOT') && analyse_isWord(tokens[k + 3], 'EXISTS') ? k + 4 : k + 1);
            if (n)
                facts.index = { name: n.name };
            // A UNIQUE index fails over duplicated values; an expression or partial index evaluates per row (and
            // can raise, e.g. json_extract of malformed JSON). A plain index over columns cannot fail on data.
            const on = tokens.findIndex((t, i) => i > k && analyse_isWord(t, 'ON'));
            const open = on === -1 ? -1 : tokens.findIndex((t, i) => i > on && isPunct(t, '('));
            const close = open === -1 ? tokens.length : skipGroup(tokens, open);
            const expression = open !== -1 && tokens.slice(open + 1, close - 1).some((t) => isPunct(t, '('));
            const partial = tokens.slice(close).some((t) => analyse_isWord(t, 'WHERE'));
            facts.dataDependent = unique || expression || partial;
            return facts;
        }
        default:
            return facts;
    }
}

;// CONCATENATED MODULE: ./build/src/replay/data/tables.js
const json = (names) => JSON.stringify([...names].map((n) => n.toLowerCase()));
const VIRTUAL = /^CREATE\s+VIRTUAL\s/i;
/**
 * The kind of each sqlite_schema row: a virtual table, one of a virtual table's shadow tables (named
 * `<virtual>_...`), a view or an ordinary table. Virtual tables among `rows` are added to `virtuals` first,
 * so shadow tables created with them are recognised; `virtuals` carries the ones known from before.
 */
function classifyObjects(rows, virtuals) {
    for (const r of rows)
        if (r.type === 'table' && VIRTUAL.test(r.sql))
            virtuals.add(r.name.toLowerCase());
    const out = new Map();
    for (const r of rows) {
        const lower = r.name.toLowerCase();
        const kind = r.type === 'view' ? 'view' : virtuals.has(lower) ? 'virtual' : [...virtuals].some((v) => lower.startsWith(`${v}_`)) ? 'shadow' : 'table';
        out.set(lower, { name: r.name, kind, sql: r.sql });
    }
    return out;
}
/**
 * Tables and views among `names` (compared case-insensitively), with their kind (see classifyObjects). Read
 * from sqlite_schema, filtered inside SQLite: pragma_table_list would inspect every table on each call.
 */
function existingObjects(db, names, virtuals = new Set()) {
    const list = [...names];
    if (list.length === 0)
        return new Map();
    const rows = db.selectArrays(`SELECT name, type, sql FROM sqlite_schema WHERE type IN ('table', 'view') AND lower(name) IN (SELECT value FROM json_each(?1))`, [json(list)]);
    return classifyObjects(rows.map(([name, type, sql]) => ({ name: String(name), type: String(type), sql: String(sql ?? '') })), virtuals);
}
/** Triggers on any of `tables` (views included: INSTEAD OF triggers). */
function triggersOn(db, tables) {
    return db
        .selectObjects(`SELECT name, tbl_name AS tbl, sql FROM sqlite_schema WHERE type = 'trigger' AND lower(tbl_name) IN (SELECT value FROM json_each(?1))`, [json(tables)])
        .map((r) => ({ name: String(r.name), table: String(r.tbl), sql: String(r.sql ?? '') }));
}
function readTableMeta(db, name, sql) {
    // The table options follow the closing parenthesis: `) WITHOUT ROWID, STRICT`.
    const options = /\)\s*([A-Za-z_,\s]*)$/.exec(sql)?.[1]?.toUpperCase() ?? '';
    // One query for columns (c), foreign keys (f) and UNIQUE indexes (u): each prepare costs more than the rows.
    const rows = db.selectArrays(`SELECT 'c', name, type, "notnull", dflt_value, pk, hidden, NULL FROM pragma_table_xinfo(?1)
     UNION ALL SELECT 'f', id, "table", "from", "to", upper(on_delete), upper(on_update), seq FROM pragma_foreign_key_list(?1)
     UNION ALL SELECT 'u', il.name, ii.name, NULL, NULL, NULL, NULL, ii.seqno FROM pragma_index_list(?1) AS il JOIN pragma_index_info(il.name) AS ii WHERE il."unique" = 1`, [name]);
    const columns = [];
    const fks = new Map();
    const uniques = new Map();
    for (const r of rows) {
        if (r[0] === 'c') {
            if (Number(r[6]) !== 0)
                continue;
            columns.push({ name: String(r[1]), type: String(r[2] ?? ''), notNull: Number(r[3]) === 1, dflt: r[4] === null || r[4] === undefined ? null : String(r[4]), pk: Number(r[5]) });
        }
        else if (r[0] === 'f') {
            const id = Number(r[1]);
            const fk = fks.get(id) ?? { id, parent: String(r[2]), from: [], to: [], onDelete: String(r[5]), onUpdate: String(r[6]) };
            fk.from.push(String(r[3]));
            fk.to.push(r[4] === null || r[4] === undefined ? null : String(r[4]));
            fks.set(id, fk);
        }
        else if (r[2] !== null) {
            const cols = uniques.get(String(r[1])) ?? [];
            cols.push(String(r[2]));
            uniques.set(String(r[1]), cols);
        }
    }
    const pkCols = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    const withoutRowid = /WITHOUT\s+ROWID/.test(options);
    if (pkCols.length > 0)
        uniques.set('(primary key)', pkCols.map((c) => c.name));
    const rowidAlias = !withoutRowid && pkCols.length === 1 && pkCols[0].type.toUpperCase() === 'INTEGER' && !/\bPRIMARY\s+KEY\s+DESC\b/i.test(sql) ? pkCols[0].name : undefined;
    return { name, sql, withoutRowid, strict: /\bSTRICT\b/.test(options), columns, fks: [...fks.values()], uniques: [...uniques.values()], ...(rowidAlias && { rowidAlias }) };
}
/** A SQL identifier, double-quoted. */
function q(name) {
    return `"${name.replace(/"/g, '""')}"`;
}

;// CONCATENATED MODULE: ./build/src/replay/data/fill.js
/**
 * Puts synthetic rows into tables so a migration meets a database that has data. Values are found by trying
 * them: SQLite is the judge of CHECK, NOT NULL, UNIQUE, types and foreign keys, and its error message says
 * which columns to vary next.
 */



/** Rows added to each table: enough for UNIQUE and one-to-one references to matter. */
const SYNTHETIC_ROWS = 2;
const MAX_ATTEMPTS = 80;
/** Omit the column from the INSERT so its DEFAULT (or NULL) applies. */
const DEFAULT = '\u0000default';
/** SQLite's rules for a column's affinity from its declared type (datatype3.html, 3.1). */
function affinity(type) {
    const t = type.toUpperCase();
    if (t.includes('INT'))
        return 'INTEGER';
    if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT'))
        return 'TEXT';
    if (t.includes('BLOB') || t === '')
        return 'BLOB';
    if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB'))
        return 'REAL';
    return 'NUMERIC';
}
const sqlString = (s) => `'${s.replace(/'/g, "''")}'`;
class Filler {
    sqlite3;
    db;
    counter = 0;
    meta = new Map();
    /** VALUES that worked for a table, by its CREATE statement: a table rebuilt the same way is filled the same way. */
    plans = new Map();
    constructor(sqlite3, db) {
        this.sqlite3 = sqlite3;
        this.db = db;
    }
    /** The same filler (values, counter) for another database. */
    rebind(db) {
        const f = new Filler(this.sqlite3, db);
        f.counter = this.counter;
        f.plans = this.plans;
        return f;
    }
    /** Facts of a table as it is now (cached while its CREATE statement is unchanged). */
    tableMeta(lower, sql, name) {
        const cached = this.meta.get(lower);
        if (cached && cached.sql === sql && cached.name === name)
            return cached;
        const m = readTableMeta(this.db, name, sql);
        this.meta.set(lower, m);
        return m;
    }
    /**
     * Fills `tables` (lower-cased name → real name) and, parents first, every table they reference that
     * `hasRows` does not vouch for.
     */
    fill(tables, hasRows) {
        const filled = new Set();
        const uncovered = new Map();
        // Close over parents. A parent the caller vouches for and that has rows needs nothing: checking that is
        // a lookup by name, while reading a table's CREATE statement scans the whole schema.
        const metas = new Map();
        const settled = new Set();
        let frontier = new Map();
        for (const [lower, t] of tables) {
            const m = this.tableMeta(lower, t.sql, t.name);
            metas.set(lower, m);
            for (const fk of m.fks)
                frontier.set(fk.parent.toLowerCase(), fk.parent);
        }
        while (frontier.size > 0) {
            for (const p of [...frontier.keys()]) {
                if (metas.has(p) || settled.has(p) || (hasRows(p) && this.hasRows(frontier.get(p)))) {
                    settled.add(p);
                    frontier.delete(p);
                }
            }
            if (frontier.size === 0)
                break;
            const found = existingObjects(this.db, frontier.keys());
            const next = new Map();
            for (const [lower, name] of frontier) {
                const sql = found.get(lower)?.sql;
                settled.add(lower);
                if (sql === undefined)
                    continue;
                const m = this.tableMeta(lower, sql, name);
                metas.set(lower, m);
                for (const fk of m.fks)
                    next.set(fk.parent.toLowerCase(), fk.parent);
            }
            frontier = next;
        }
        // Parents first (depth-first post-order); an edge back into the current path is a cycle.
        const order = [];
        const state = new Map();
        const visit = (t) => {
            if (state.has(t))
                return;
            state.set(t, 'visiting');
            for (const fk of metas.get(t)?.fks ?? []) {
                const p = fk.parent.toLowerCase();
                if (p !== t && metas.has(p))
                    visit(p);
            }
            state.set(t, 'done');
            order.push(t);
        };
        for (const t of [...metas.keys()].sort())
            visit(t);
        for (const lower of order) {
            const m = metas.get(lower);
            const reason = this.fillTable(m);
            if (reason === undefined)
                filled.add(lower);
            else
                uncovered.set(lower, [m.name, reason]);
        }
        // Parents were filled for the sake of their children; only the tables asked for count as uncovered.
        for (const t of [...uncovered.keys()])
            if (!tables.has(t))
                uncovered.delete(t);
        return { filled, uncovered };
    }
    /** Adds SYNTHETIC_ROWS rows; returns why it could not, or undefined. */
    fillTable(m) {
        const plan = this.plans.get(m.sql);
        if (plan && plan.rows.every((row) => this.insert(m, plan.columns, row) === undefined))
            return undefined;
        if (plan) {
            // The cached values no longer fit (a parent row is gone, a trigger objects): find new ones.
            this.plans.delete(m.sql);
            return this.fillTable(m);
        }
        const rows = [];
        const columns = m.columns.map((c) => c.name);
        let previous;
        for (let r = 0; r < SYNTHETIC_ROWS; r++) {
            const found = this.findRow(m, r, previous);
            if (typeof found === 'string')
                return found;
            rows.push(found);
            previous = found;
        }
        this.plans.set(m.sql, { columns, rows });
        return undefined;
    }
    insert(m, columns, values) {
        const cols = [];
        const vals = [];
        values.forEach((v, i) => {
            if (v !== DEFAULT) {
                cols.push(q(columns[i]));
                vals.push(v);
            }
        });
        const sql = cols.length ? `INSERT INTO ${q(m.name)} (${cols.join(', ')}) VALUES (${vals.join(', ')})` : `INSERT INTO ${q(m.name)} DEFAULT VALUES`;
        return tryExec(this.sqlite3, this.db, sql);
    }
    /** One row that SQLite accepts, as literals per column (DEFAULT = omitted); or the reason none was found. */
    findRow(m, r, previous) {
        const fkOf = new Map();
        for (const fk of m.fks)
            fk.from.forEach((c, pos) => fkOf.set(c.toLowerCase(), { fk, pos }));
        // Literals of the table's SQL (CHECK lists...) are only needed once a first row is rejected.
        let literals = [];
        const unique = new Set(m.uniques.flat().map((c) => c.toLowerCase()));
        // Values of each foreign key, from existing parent rows (one parent row per child row where possible).
        const fkValues = new Map();
        for (const fk of m.fks) {
            const parent = fk.parent.toLowerCase();
            const nullable = fk.from.every((c) => !m.columns.find((x) => x.name.toLowerCase() === c.toLowerCase())?.notNull);
            if (parent === m.name.toLowerCase()) {
                fkValues.set(fk.id, []); // self-reference: resolved per row below
                continue;
            }
            const options = [];
            const to = this.targetColumns(fk);
            if (to) {
                try {
                    const rows = this.db.selectArrays(`SELECT ${to.map((c) => `quote(${q(c)})`).join(', ')} FROM ${q(fk.parent)} WHERE ${to.map((c) => `${q(c)} IS NOT NULL`).join(' AND ')} LIMIT ${SYNTHETIC_ROWS * 2}`);
                    for (const row of rows)
                        options.push(row.map(String));
                }
                catch {
                    // The parent table or column does not exist (a dangling reference): no row can point at it.
                }
            }
            if (options.length === 0 && !nullable)
                return `its parent table ${fk.parent} has no rows to point at (it could not be filled)`;
            // Each child row points at a different parent row first (UNIQUE one-to-one keys), NULL as a last resort.
            const rotated = options.length ? [...options.slice(r % options.length), ...options.slice(0, r % options.length)] : [];
            if (nullable)
                rotated.push(fk.from.map(() => 'NULL'));
            fkValues.set(fk.id, rotated);
        }
        const build = () => m.columns.map((c) => {
            const f = fkOf.get(c.name.toLowerCase());
            if (f) {
                if (f.fk.parent.toLowerCase() === m.name.toLowerCase())
                    return this.selfReference(m, f.fk, f.pos, c, previous);
                return (fkValues.get(f.fk.id) ?? []).map((row) => row[f.pos]);
            }
            return this.candidates(m, c, unique.has(c.name.toLowerCase()), literals);
        });
        let cands = build();
        const idx = m.columns.map(() => 0);
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            const values = cands.map((list, i) => list[Math.min(idx[i], list.length - 1)] ?? DEFAULT);
            this.resolveSelf(m, values);
            const error = this.insert(m, m.columns.map((c) => c.name), values);
            if (error === undefined)
                return values;
            if (attempt === 0) {
                literals = literalsOf(m.sql);
                cands = build();
            }
            const blamed = this.blame(m, error);
            if (blamed === undefined)
                return `SQLite rejected every row tried: ${error}`;
            if (!advance(idx, cands, blamed))
                return `no value satisfies it: ${error}`;
        }
        return `no row satisfied its constraints after ${MAX_ATTEMPTS} tries`;
    }
    /** Whether a table has a row (false when it does not exist). */
    hasRows(table) {
        try {
            return this.db.selectArrays(`SELECT EXISTS (SELECT 1 FROM ${q(table)})`)[0]?.[0] === 1;
        }
        catch {
            return false;
        }
    }
    /** The parent columns a key points at: as listed, or the parent's primary key. */
    targetColumns(fk) {
        if (fk.to.every((c) => c !== null))
            return fk.to;
        const pk = this.db.selectArrays(`SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk`, [fk.parent]).map((r) => String(r[0]));
        return pk.length === fk.from.length ? pk : undefined;
    }
    /** A self-reference: NULL when allowed, else the row's own key (row 0) or the previous row's (row 1). */
    selfReference(m, fk, pos, c, previous) {
        const out = [];
        const to = fk.to[pos] ?? m.columns.filter((x) => x.pk > 0).sort((a, b) => a.pk - b.pk)[pos]?.name;
        if (previous && to) {
            const i = m.columns.findIndex((x) => x.name.toLowerCase() === to.toLowerCase());
            if (i >= 0 && previous[i] !== DEFAULT)
                out.push(previous[i]);
        }
        if (!c.notNull)
            out.push('NULL');
        if (to)
            out.push(`${SELF_MARK}${to}`);
        return out;
    }
    /** Replaces "same row's column X" markers by that column's value in the row being built. */
    resolveSelf(m, values) {
        values.forEach((v, i) => {
            if (!v.startsWith(SELF_MARK))
                return;
            const to = v.slice(SELF_MARK.length).toLowerCase();
            const j = m.columns.findIndex((x) => x.name.toLowerCase() === to);
            values[i] = j >= 0 && !values[j].startsWith(SELF_MARK) && values[j] !== DEFAULT ? values[j] : 'NULL';
        });
    }
    /** Values to try for an ordinary column, most plausible first. */
    candidates(m, c, unique, literals) {
        const n = ++this.counter;
        const aff = m.strict ? strictAffinity(c.type) : affinity(c.type);
        const out = [];
        if (m.rowidAlias && c.name === m.rowidAlias) {
            // Negative rowids: rows a migration inserts without an id still get max(rowid) + 1 of the real rows,
            // and explicit small ids in seed data do not collide with synthetic ones.
            out.push(String(-(1_000_000 + n)), String(1_000_000_000 + n));
            return out;
        }
        const typed = typedValue(c, aff, n);
        const withDefault = c.dflt !== null && !unique && c.pk === 0;
        if (withDefault)
            out.push(DEFAULT);
        out.push(...typed);
        for (const l of literals)
            if (!out.includes(l))
                out.push(l);
        for (const v of alternatives(aff, n))
            if (!out.includes(v))
                out.push(v);
        if (!withDefault && c.dflt !== null)
            out.push(DEFAULT);
        if (!c.notNull && c.pk === 0)
            out.push('NULL');
        return out;
    }
    /** Column indexes an error message blames, or undefined when retrying cannot help. */
    blame(m, error) {
        const index = (name) => m.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
        let match = /^(?:NOT NULL|UNIQUE) constraint failed: (.+)$/.exec(error);
        if (match) {
            const cols = match[1].split(', ').map((s) => index(s.slice(s.indexOf('.') + 1))).filter((i) => i >= 0);
            return cols.length ? cols : undefined;
        }
        match = /^CHECK constraint failed: (.+)$/s.exec(error);
        if (match) {
            const expr = checkText(m.sql, match[1]);
            const words = new Set();
            for (const t of tokenize(expr))
                if (t.kind !== 'string' && t.kind !== 'number')
                    words.add(t.value.toLowerCase());
            const cols = m.columns.map((c, i) => (words.has(c.name.toLowerCase()) ? i : -1)).filter((i) => i >= 0);
            return cols.length ? cols : m.columns.map((_, i) => i);
        }
        if (/^FOREIGN KEY constraint failed/.test(error)) {
            const cols = m.columns.map((c, i) => (m.fks.some((fk) => fk.from.some((f) => f.toLowerCase() === c.name.toLowerCase())) ? i : -1)).filter((i) => i >= 0);
            return cols.length ? cols : undefined;
        }
        if (/datatype mismatch|cannot store/.test(error))
            return m.columns.map((_, i) => i);
        return undefined;
    }
}
/** "The value of column X of the same row", resolved once the row's other values are chosen. */
const SELF_MARK = '\u0002';
/**
 * Odometer over the blamed columns: the first blamed column moves to its next candidate; when it runs out
 * it starts again and the next one moves. False when every combination has been tried.
 */
function advance(idx, cands, blamed) {
    for (const i of blamed) {
        if (idx[i] + 1 < cands[i].length) {
            idx[i]++;
            return true;
        }
        idx[i] = 0;
    }
    return false;
}
/** The text of the CHECK SQLite names in its error: the expression itself, or the named constraint's. */
function checkText(sql, named) {
    const m = new RegExp(`CONSTRAINT\\s+["\`\\[]?${named.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["\`\\]]?\\s+CHECK\\s*\\(`, 'i').exec(sql);
    if (!m)
        return named;
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    for (; i < sql.length && depth > 0; i++) {
        if (sql[i] === '(')
            depth++;
        else if (sql[i] === ')')
            depth--;
    }
    return sql.slice(start, i - 1);
}
/** String and number literals of a CREATE TABLE (CHECK lists, defaults): likely values for its columns. */
function literalsOf(sql) {
    const out = new Set();
    for (const t of tokenize(sql)) {
        if (t.kind === 'string' || t.kind === 'number')
            out.add(t.text);
        if (out.size >= 24)
            break;
    }
    return [...out];
}
function strictAffinity(type) {
    switch (type.toUpperCase()) {
        case 'INT':
        case 'INTEGER':
            return 'INTEGER';
        case 'REAL':
            return 'REAL';
        case 'TEXT':
            return 'TEXT';
        case 'BLOB':
            return 'BLOB';
        default:
            return 'NUMERIC';
    }
}
function pad(n, w) {
    return String(n).padStart(w, '0');
}
/** A distinct value of the column's type, shaped by its name where that is a strong hint. */
function typedValue(c, aff, n) {
    const name = c.name.toLowerCase();
    const type = c.type.toUpperCase();
    const date = `2024-${pad((n % 12) + 1, 2)}-${pad((n % 28) + 1, 2)} 12:${pad(n % 60, 2)}:00`;
    switch (aff) {
        case 'INTEGER':
            if (/(^|_)(at|on|time|timestamp|date|ts)$/.test(name))
                return [String(1_700_000_000 + n)];
            return [String(1_000_000 + n)];
        case 'REAL':
            return [`${n}.5`];
        case 'NUMERIC':
            if (/DATE|TIME/.test(type))
                return [sqlString(date)];
            if (/BOOL/.test(type))
                return [String(n % 2)];
            return [String(n)];
        case 'BLOB':
            if (c.type === '')
                return [sqlString(`syn-${n}`)];
            return [`x'${pad(n.toString(16), 8)}'`];
        case 'TEXT':
        default:
            if (/e_?mail/.test(name))
                return [sqlString(`syn${n}@example.com`)];
            if (/(^|_)(url|uri|link|href|website)$/.test(name))
                return [sqlString(`https://example.com/syn/${n}`)];
            if (/(^|_)(at|on|date|time|timestamp)$/.test(name))
                return [sqlString(date)];
            if (/(^|_)(json|meta|metadata|data|settings|config|payload|attributes|properties)$/.test(name))
                return [sqlString(`{"syn":${n}}`)];
            if (/(^|_)(id|uuid|guid)$/.test(name) || name === 'id')
                return [sqlString(`00000000-0000-4000-8000-${pad(n.toString(16), 12)}`)];
            return [sqlString(`syn-${n}`)];
    }
}
/** Other shapes to try when the first value is rejected (dates, JSON, booleans, short codes). */
function alternatives(aff, n) {
    const common = ['0', '1', sqlString(`2024-01-01T00:00:${pad(n % 60, 2)}.000Z`), sqlString('{}'), sqlString('[]'), sqlString(`syn${n}@example.com`), sqlString(`00000000-0000-4000-8000-${pad(n.toString(16), 12)}`), sqlString(String(n)), sqlString(''), `x'00'`];
    if (aff === 'INTEGER' || aff === 'REAL' || aff === 'NUMERIC')
        return ['0', '1', String(n), '-1', ...common.slice(2)];
    return common;
}

;// CONCATENATED MODULE: ./build/src/replay/data/check.js






const SAVEPOINT = 'd1_migrate_data_check';
/** sqlite3_db_status op: deferred foreign key violations not yet resolved (SQLITE_DBSTATUS_DEFERRED_FKS). */
const DBSTATUS_DEFERRED_FKS = 10;
class DataCheck {
    sqlite3;
    main;
    migrationsTable;
    filler;
    db;
    api;
    /** The twin missed a file (it failed there, the replay did not): copy the replay's database before the next. */
    outOfSync = false;
    /** Tables given synthetic rows in the twin (lower-cased). */
    filledOnce = new Set();
    /** Plain indexes the twin skipped (lower-cased names); see skipIndex(). */
    skippedIndexes = new Set();
    /** Highest sqlite_schema rowid seen in the twin: rows above it are objects created since. */
    schemaRowid = 0;
    /** Virtual tables (lower-cased): their shadow tables are not filled. */
    virtuals = new Set();
    /** Tables reported as not covered, so each is named once per run. */
    uncoveredSeen = new Set();
    uncovered = [];
    status;
    /** Row changes of the file being run; undefined while filling (those are not the file's). */
    events;
    /** Values of the rows deleted while the current file runs, by table and key (to recognise a re-insert). */
    deletedValues = new Map();
    stmtIndex = 0;
    hook = (...args) => this.onPreupdate(args);
    /** SAVEPOINT / RELEASE of the twin, prepared once per twin (finalized when it closes). */
    savepoint;
    release;
    constructor(sqlite3, main, migrationsTable) {
        this.sqlite3 = sqlite3;
        this.main = main;
        this.migrationsTable = migrationsTable;
        this.api = sqlite3.capi;
        this.db = this.openTwin();
        tryExec(sqlite3, this.db, createMigrationsTableSql(migrationsTable));
        this.filler = new Filler(sqlite3, this.db);
        this.status = sqlite3.wasm.alloc(8);
    }
    close() {
        this.sqlite3.wasm.dealloc(this.status);
        this.closeTwin();
    }
    openTwin() {
        const db = openD1Like(this.sqlite3);
        this.api.sqlite3_preupdate_hook(db.pointer, this.hook, 0);
        this.savepoint = db.prepare(`SAVEPOINT ${SAVEPOINT}`);
        this.release = db.prepare(`RELEASE ${SAVEPOINT}`);
        return db;
    }
    /** Closes the current twin (its prepared statements first). */
    closeTwin() {
        this.savepoint.finalize();
        this.release.finalize();
        this.api.sqlite3_preupdate_hook(this.db.pointer, 0, 0);
        this.db.close();
    }
    /** The run-wide note about tables that could not be filled. */
    notes() {
        if (this.uncovered.length === 0)
            return [];
        const shown = this.uncovered.slice(0, 20).join('; ');
        const more = this.uncovered.length > 20 ? `; and ${this.uncovered.length - 20} more` : '';
        const n = this.uncovered.length;
        return [`Data check: ${n} table${n === 1 ? '' : 's'} could not be given synthetic rows, so migrations were not checked against data in ${n === 1 ? 'it' : 'them'}: ${shown}${more}.`];
    }
    /**
     * Every row of the twin's ordinary tables as INSERT OR IGNORE statements, parents before children, so the
     * same data can be put into a real database that already ran the same migrations (rows it already has
     * are skipped).
     */
    dump() {
        if (this.outOfSync)
            this.resync();
        const rows = this.db
            .selectArrays(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY rowid`)
            .map(([name, sql]) => ({ name: String(name), type: 'table', sql: String(sql ?? '') }));
        const tables = [...classifyObjects(rows, this.virtuals).values()].filter((t) => t.kind === 'table' && !this.internal(t.name.toLowerCase()));
        const metas = new Map(tables.map((t) => [t.name.toLowerCase(), this.filler.tableMeta(t.name.toLowerCase(), t.sql, t.name)]));
        const order = [];
        const seen = new Set();
        const visit = (lower) => {
            if (seen.has(lower) || !metas.has(lower))
                return;
            seen.add(lower);
            for (const fk of metas.get(lower).fks)
                visit(fk.parent.toLowerCase());
            order.push(lower);
        };
        for (const t of metas.keys())
            visit(t);
        const out = [];
        for (const lower of order) {
            const m = metas.get(lower);
            if (m.columns.length === 0)
                continue;
            const cols = m.columns.map((c) => q(c.name)).join(', ');
            const values = m.columns.map((c) => `quote(${q(c.name)})`).join(` || ', ' || `);
            for (const [row] of this.db.selectArrays(`SELECT 'INSERT OR IGNORE INTO ${q(m.name).replace(/'/g, "''")} (${cols.replace(/'/g, "''")}) VALUES (' || ${values} || ');' FROM ${q(m.name)}`)) {
                out.push(String(row));
            }
        }
        return out.join('\n');
    }
    /** Whether every one of `tables` held synthetic rows (none was reported as not covered). */
    covers(tables) {
        return tables.every((t) => !this.uncoveredSeen.has(t.toLowerCase()));
    }
    /** After a fault in the check: the twin is re-copied before the next file. */
    markOutOfSync() {
        this.outOfSync = true;
    }
    /**
     * Runs `text` (the file as wrangler sends it, bookkeeping INSERT included) on the twin, before the replay
     * runs it; then fills the tables the file created, for the next files.
     */
    run(file, text, parsed) {
        if (this.outOfSync)
            this.resync();
        const ff = fileFacts(parsed);
        const rebuiltBefore = this.rebuiltCounts(ff);
        if (this.deferredViolations() !== 0) {
            this.outOfSync = true;
            return undefined;
        }
        const begin = stepPrepared(this.sqlite3, this.db, this.savepoint.pointer);
        if (begin)
            throw new Error(`data check: SAVEPOINT failed: ${begin}`);
        const executed = [];
        // Row changes are only needed where a statement can delete or change rows.
        this.events = ff.facts.some((f) => f.dataDependent) ? [] : undefined;
        this.deletedValues = new Map();
        let run;
        let events;
        try {
            run = this.execute(text, executed);
        }
        finally {
            events = this.events ?? [];
            this.events = undefined;
        }
        if (run === 'skip') {
            this.abandon();
            return undefined;
        }
        const failure = run.failure ?? (this.deferredViolations() > 0 ? { message: 'FOREIGN KEY constraint failed' } : undefined);
        if (failure) {
            this.abandon();
            // INDEXED BY, REINDEX ... naming an index the twin skipped: the twin's doing, not the data's.
            const missing = /^no such index: (.+)$/.exec(failure.message)?.[1];
            if (missing && this.skippedIndexes.has(missing.toLowerCase()))
                return undefined;
            return this.failed(file, ff, failure);
        }
        const losses = this.losses(events, ff, rebuiltBefore, executed.length, (i) => check_describe(text, executed[i]));
        const released = stepPrepared(this.sqlite3, this.db, this.release.pointer);
        if (released) {
            this.abandon();
            return this.failed(file, ff, { message: released });
        }
        this.refill(ff, events);
        return { findings: losses.map((l) => lossFinding(file, l)), notes: [], complete: true };
    }
    /** Rolls the file back on the twin, which then misses it: it is copied from the replay before the next file. */
    abandon() {
        tryExec(this.sqlite3, this.db, `ROLLBACK TO ${SAVEPOINT}`);
        tryExec(this.sqlite3, this.db, `RELEASE ${SAVEPOINT}`);
        this.outOfSync = true;
    }
    /** The outcome of a file the twin could not apply: a fails-with-data finding, or a note. */
    failed(file, ff, failure) {
        const f = this.failureFinding(file, ff, failure);
        return 'note' in f ? { findings: [], notes: [f.note], complete: false } : { findings: [f], notes: [], complete: false };
    }
    /** Steps through the file on the twin; `executed` receives each statement's position. */
    execute(text, executed) {
        const { capi, wasm } = this.sqlite3;
        const db = this.db.pointer;
        let offset = 0;
        for (;;) {
            const p = text.prepare(db, offset);
            // A statement that does not prepare fails the same way on the replay, which reports it.
            if (!p.ok)
                return { failure: { message: p.message } };
            if (!p.stmt)
                break;
            offset = p.end;
            const kind = mayClassify(text.bytes, p.start) ? classifyStatement(text.slice(p.start, p.end)).kind : 'other';
            if (kind === 'pragma-foreign-keys') {
                wasm.exports.sqlite3_finalize(p.stmt);
                continue;
            }
            if (kind === 'transaction' || kind === 'attach' || kind === 'vacuum') {
                // The replay stops here as wrangler does; static rules report these.
                wasm.exports.sqlite3_finalize(p.stmt);
                return 'skip';
            }
            if (this.skipIndex(text, p.start, p.end)) {
                wasm.exports.sqlite3_finalize(p.stmt);
                continue;
            }
            this.stmtIndex = executed.length;
            executed.push({ start: p.start, end: p.end });
            let rc;
            do
                rc = wasm.exports.sqlite3_step(p.stmt);
            while (rc === capi.SQLITE_ROW);
            wasm.exports.sqlite3_finalize(p.stmt);
            if (rc !== capi.SQLITE_DONE)
                return { failure: { message: capi.sqlite3_errmsg(db), at: check_describe(text, executed[executed.length - 1]) } };
        }
        return {};
    }
    /**
     * Plain indexes (not UNIQUE, no expression, not partial) change no statement's outcome, yet every one of
     * them is parsed again each time an ALTER TABLE reloads the schema. The twin does without them — a third
     * of its work on a large schema — and skips dropping the ones it never created.
     */
    skipIndex(text, start, end) {
        const b = text.bytes[start] | 0x20;
        if (b !== 0x63 && b !== 0x64)
            return false; // 'c' or 'd'
        const head = text.slice(start, Math.min(end, start + 24));
        if (!/^(CREATE|DROP)\s+INDEX\b/i.test(head))
            return false;
        const facts = analyseStatement(text.slice(start, end));
        if (facts.index?.drop)
            return this.skippedIndexes.delete(facts.index.name.toLowerCase());
        if (facts.index && !facts.dataDependent) {
            this.skippedIndexes.add(facts.index.name.toLowerCase());
            return true;
        }
        return false;
    }
    /** sqlite3_preupdate_hook callback: (ctx, db, op, schema, table, oldKey, newKey). */
    onPreupdate(args) {
        const events = this.events;
        if (!events)
            return;
        const [, pDb, op, schema, table, oldKey, newKey] = args;
        if (schema !== 'main')
            return;
        const lower = table.toLowerCase();
        if (lower === this.migrationsTable.toLowerCase() || lower.startsWith('sqlite_'))
            return;
        const { api } = this;
        const stmt = this.stmtIndex;
        const values = (which) => {
            const n = api.sqlite3_preupdate_count(pDb);
            const out = [];
            for (let i = 0; i < n; i++)
                out.push(which === 'old' ? api.sqlite3_preupdate_old_js(pDb, i) : api.sqlite3_preupdate_new_js(pDb, i));
            return out;
        };
        // WITHOUT ROWID tables report key 0: their rows are told apart by their values.
        const keyOf = (k, which) => (k !== 0n ? String(k) : `v:${check_stringify(values(which))}`);
        if (op === api.SQLITE_INSERT) {
            const key = keyOf(newKey, 'new');
            // A row deleted and inserted again under the same key (REPLACE, a trigger rewriting a row) is only a
            // change if its values differ.
            const before = this.deletedValues.get(lower)?.get(key);
            const same = before !== undefined && before === check_stringify(values('new'));
            events.push({ stmt, op: 'insert', table: lower, name: table, key, ...(same && { unchanged: true }) });
        }
        else if (op === api.SQLITE_DELETE) {
            const key = keyOf(oldKey, 'old');
            if (!this.deletedValues.has(lower))
                this.deletedValues.set(lower, new Map());
            this.deletedValues.get(lower).set(key, check_stringify(values('old')));
            events.push({ stmt, op: 'delete', table: lower, name: table, key });
        }
        else if (op === api.SQLITE_UPDATE) {
            const before = values('old');
            const after = values('new');
            if (oldKey !== newKey || before.some((v, i) => !same(v, after[i]))) {
                events.push({ stmt, op: 'update', table: lower, name: table, key: oldKey !== 0n ? String(oldKey) : `v:${check_stringify(before)}` });
            }
        }
    }
    /** Row counts before the file of the tables it rebuilds (only those are compared by count). */
    rebuiltCounts(ff) {
        if (ff.rebuilt.size === 0)
            return new Map();
        const present = [...existingObjects(this.db, ff.rebuilt, this.virtuals).values()].filter((o) => o.kind === 'table');
        return this.counts(present.map((o) => o.name));
    }
    /** Row counts of tables, in one query. */
    counts(tables) {
        if (tables.length === 0)
            return new Map();
        const row = this.db.selectArrays(`SELECT ${tables.map((t) => `(SELECT count(*) FROM ${q(t)})`).join(', ')}`)[0] ?? [];
        return new Map(tables.map((t, i) => [t.toLowerCase(), Number(row[i] ?? 0)]));
    }
    /**
     * Rows that existed before the file and were deleted or changed by a statement that does not name their
     * table as what it deletes from, updates, drops or alters; and rebuilt tables left with fewer rows.
     */
    losses(events, ff, rebuiltBefore, statements, describe) {
        if (events.length === 0 && rebuiltBefore.size === 0)
            return [];
        const facts = new Array(statements);
        const at = (i) => (facts[i] ??= describe(i));
        const direct = (i, table) => at(i).facts.targets.some((t) => t.table.toLowerCase() === table);
        // Which table, as it was before the file, each name stands for as the statements run: renames move a
        // table to a new name; a table created in the file stands for none (null).
        const origin = new Map();
        const originOf = (name) => (origin.has(name) ? origin.get(name) : name);
        const born = new Map();
        const deletedPre = new Map(); // origin → key → statement
        const changedPre = new Map();
        const lineageDeletes = [];
        const byStmt = new Map();
        for (const e of events)
            byStmt.set(e.stmt, [...(byStmt.get(e.stmt) ?? []), e]);
        const needsDdl = ff.renames.length > 0 || ff.creates.size > 0 || ff.facts.some((f) => f.targets.some((t) => t.how === 'drop'));
        for (let i = 0; i < statements; i++) {
            for (const e of byStmt.get(i) ?? []) {
                const o = originOf(e.table);
                const mine = born.get(e.table) ?? new Set();
                born.set(e.table, mine);
                if (e.op === 'insert') {
                    mine.add(e.key);
                    // REPLACE keeping the rowid: the old row was deleted and a different one stands in its place.
                    const d = o === null ? undefined : deletedPre.get(o);
                    if (d?.has(e.key)) {
                        const stmt = d.get(e.key);
                        d.delete(e.key);
                        if (!e.unchanged) {
                            if (!changedPre.has(o))
                                changedPre.set(o, new Map());
                            changedPre.get(o).set(e.key, stmt);
                        }
                    }
                    continue;
                }
                if (mine.has(e.key) || o === null) {
                    if (e.op === 'delete' && !direct(i, e.table))
                        lineageDeletes.push({ stmt: i, table: e.table });
                    continue;
                }
                if (direct(i, e.table))
                    continue;
                const target = e.op === 'delete' ? deletedPre : changedPre;
                if (!target.has(o))
                    target.set(o, new Map());
                if (!target.get(o).has(e.key))
                    target.get(o).set(e.key, i);
                if (e.op === 'delete')
                    lineageDeletes.push({ stmt: i, table: e.table });
            }
            if (!needsDdl)
                continue;
            const f = at(i).facts;
            if (f.rename) {
                const from = f.rename.from.toLowerCase();
                const to = f.rename.to.toLowerCase();
                origin.set(to, originOf(from));
                born.set(to, born.get(from) ?? new Set());
                origin.set(from, null);
                born.delete(from);
            }
            for (const t of f.targets)
                if (t.how === 'drop') {
                    origin.set(t.table.toLowerCase(), null);
                    born.delete(t.table.toLowerCase());
                }
            if (f.creates) {
                origin.set(f.creates.table.toLowerCase(), null);
                born.delete(f.creates.table.toLowerCase());
            }
        }
        const out = [];
        const lost = [...new Set([...deletedPre.keys(), ...changedPre.keys()])].filter((t) => !ff.rowTargets.has(t) && !ff.rebuilt.has(t) && !this.internal(t) && (deletedPre.get(t)?.size ?? 0) + (changedPre.get(t)?.size ?? 0) > 0);
        if (lost.length === 0 && rebuiltBefore.size === 0)
            return out;
        const names = existingObjects(this.db, [...lost, ...rebuiltBefore.keys()], this.virtuals);
        const after = this.counts([...names.values()].filter((o) => o.kind === 'table').map((o) => o.name));
        for (const table of lost) {
            // Virtual tables and their shadow tables keep their own bookkeeping (an FTS index rewrites its blobs).
            if (names.get(table)?.kind !== 'table')
                continue;
            const d = deletedPre.get(table) ?? new Map();
            const c = changedPre.get(table) ?? new Map();
            const first = Math.min(...d.values(), ...c.values());
            const victim = events.find((e) => e.stmt === first && (originOf(e.table) === table || e.table === table))?.table ?? table;
            out.push({
                table,
                name: names.get(table)?.name ?? table,
                vanished: d.size,
                changed: c.size,
                left: after.get(table),
                culprit: this.culprit(at(first), victim, ff),
            });
        }
        for (const [table, before] of rebuiltBefore) {
            if (ff.rowTargets.has(table))
                continue;
            const now = after.get(table);
            if (now === undefined || now >= before)
                continue;
            // Where the copies went: the first delete in a table that is, or is later renamed to, this one.
            const lineage = new Set([table]);
            for (const r of [...ff.renames].reverse())
                if (lineage.has(r.to.toLowerCase()))
                    lineage.add(r.from.toLowerCase());
            const hit = lineageDeletes.find((l) => lineage.has(l.table));
            out.push({
                table,
                name: names.get(table)?.name ?? table,
                vanished: before - now,
                changed: 0,
                left: now,
                before,
                culprit: hit ? this.culprit(at(hit.stmt), hit.table, ff) : copyOf(ff, lineage),
            });
        }
        return out.sort((a, b) => (a.culprit?.executed.line ?? 0) - (b.culprit?.executed.line ?? 0) || a.table.localeCompare(b.table));
    }
    culprit(executed, victim, ff) {
        const real = existingObjects(this.db, [victim], this.virtuals).get(victim)?.name ?? victim;
        return { executed, victim: real, mechanism: this.mechanism(executed, real, ff) };
    }
    /** Why `victim` lost rows at a statement: a foreign key path to what the statement removed, a REPLACE, a trigger. */
    mechanism(executed, victim, ff) {
        const facts = executed.facts;
        const lowerVictim = victim.toLowerCase();
        const drop = facts.targets.find((t) => t.how === 'drop');
        const removed = drop?.table ?? facts.writes;
        const parts = [];
        // An UPDATE reaches children through ON UPDATE actions; everything else here deletes parent rows.
        const onUpdate = facts.targets.some((t) => t.how === 'update' || t.how === 'upsert') && !facts.replace;
        if (removed && removed.toLowerCase() !== lowerVictim) {
            const path = this.fkPath(victim, removed, onUpdate);
            if (path) {
                const chain = path.map((e) => `${e.child}.${e.col} REFERENCES ${e.parent} ON ${onUpdate ? 'UPDATE' : 'DELETE'} ${e.action}`).join(', then ');
                const earlier = ff.renames.filter((r) => r.to.toLowerCase() === removed.toLowerCase());
                const repoint = earlier.find((r) => ff.facts.some((f) => f.rename === r && (f.line ?? 0) < executed.line));
                const repointNote = repoint
                    ? ` (the key points at ${removed} because \`ALTER TABLE ${repoint.from} RENAME TO ${repoint.to}\` re-pointed it: SQLite rewrites other tables' references on rename)`
                    : '';
                if (drop) {
                    parts.push(`\`DROP TABLE ${removed}\` first deletes every row of ${removed}, because D1 always enforces foreign keys (PRAGMA foreign_keys = OFF has no effect there), and the delete reaches ${victim}: ${chain}${repointNote}`);
                }
                else if (facts.replace) {
                    parts.push(`REPLACE conflict: for each new row that collides with an existing row of ${removed} on its primary key or a UNIQUE column, SQLite deletes the existing row, and the delete reaches ${victim}: ${chain}`);
                }
                else {
                    parts.push(`changing rows of ${removed} fires its foreign key actions: ${chain}`);
                }
            }
        }
        if (facts.replace && removed && removed.toLowerCase() === lowerVictim) {
            parts.push('REPLACE conflict: for each new row that collides with an existing row on its primary key or a UNIQUE column, SQLite deletes the existing row and inserts the new one, so columns the statement does not set fall back to their defaults (and the delete fires ON DELETE actions)');
        }
        if (!drop) {
            const on = new Set();
            if (facts.writes)
                on.add(facts.writes.toLowerCase());
            for (const t of facts.targets)
                on.add(t.table.toLowerCase());
            for (const t of on.size ? triggersOn(this.db, on) : []) {
                if (namesIn(t.sql).has(lowerVictim))
                    parts.push(`trigger ${t.name} on ${t.table} changes rows of ${victim}`);
            }
        }
        return parts.length ? parts.join('; ') : `the statement changed them without naming ${victim}`;
    }
    /**
     * Foreign keys leading from `child` up to `ancestor` whose actions carry a change down (CASCADE, SET NULL,
     * SET DEFAULT), breadth-first over a few levels; listed from the ancestor down.
     */
    fkPath(child, ancestor, onUpdate) {
        const target = ancestor.toLowerCase();
        const queue = [{ table: child, path: [] }];
        const seen = new Set([child.toLowerCase()]);
        while (queue.length > 0) {
            const { table, path } = queue.shift();
            if (path.length >= 4)
                continue;
            const rows = this.db.selectObjects(`SELECT "table" AS parent, "from" AS col, upper(on_delete) AS d, upper(on_update) AS u FROM pragma_foreign_key_list(?1)`, [table]);
            for (const r of rows) {
                const parent = String(r.parent);
                const action = String(onUpdate ? r.u : r.d);
                if (!['CASCADE', 'SET NULL', 'SET DEFAULT'].includes(action))
                    continue;
                const step = { child: table, col: String(r.col), parent, action };
                if (parent.toLowerCase() === target)
                    return [step, ...path];
                if (!seen.has(parent.toLowerCase())) {
                    seen.add(parent.toLowerCase());
                    queue.push({ table: parent, path: [step, ...path] });
                }
            }
        }
        return undefined;
    }
    /**
     * Gives the tables the file created synthetic rows, and tops up tables left with too few. New tables are
     * read by rowid from sqlite_schema (new rows get higher rowids), which is far cheaper than a scan of it.
     */
    refill(ff, events) {
        let objects = new Map();
        if (ff.creates.size > 0 || ff.renames.length > 0) {
            const rows = this.db
                .selectArrays(`SELECT rowid, name, sql FROM sqlite_schema WHERE rowid > ?1 AND type = 'table'`, [this.schemaRowid])
                .map(([rowid, name, sql]) => {
                this.schemaRowid = Math.max(this.schemaRowid, Number(rowid));
                return { name: String(name), type: 'table', sql: String(sql ?? '') };
            });
            // A table renamed into place keeps its schema row; it is filled if it has too few rows (below). A
            // table created after the newest schema row was dropped may reuse that rowid: look it up by name.
            const seen = new Set(rows.map((r) => r.name.toLowerCase()));
            const missed = [...ff.creates.keys()].filter((lower) => !seen.has(lower));
            for (const o of existingObjects(this.db, missed).values())
                rows.push({ name: o.name, type: 'table', sql: o.sql });
            objects = classifyObjects(rows, this.virtuals);
        }
        const shrunk = new Map();
        for (const e of events)
            if (e.op === 'delete' && !objects.has(e.table))
                shrunk.set(e.table, e.name);
        for (const r of ff.renames)
            if (!objects.has(r.to.toLowerCase()))
                shrunk.set(r.to.toLowerCase(), r.to);
        if (shrunk.size > 0) {
            const present = existingObjects(this.db, shrunk.keys(), this.virtuals);
            const counts = this.counts([...present.values()].filter((o) => o.kind === 'table').map((o) => o.name));
            for (const [lower, n] of counts)
                if (n < SYNTHETIC_ROWS)
                    objects.set(lower, present.get(lower));
        }
        this.fillObjects(objects);
    }
    /** Fills the tables among `lowers` that exist and are ordinary, new or with too few rows. */
    fillTables(lowers) {
        this.fillObjects(existingObjects(this.db, lowers, this.virtuals));
    }
    fillObjects(objects) {
        const needs = new Map();
        for (const [lower, o] of objects) {
            if (o.kind === 'virtual')
                this.noteUncovered(lower, o.name, 'a virtual table: filled by its own module, e.g. through triggers');
            if (o.kind !== 'table' || this.internal(lower) || this.uncoveredSeen.has(lower))
                continue;
            needs.set(lower, { name: o.name, sql: o.sql });
        }
        if (needs.size === 0)
            return;
        const outcome = this.filler.fill(needs, (lower) => this.filledOnce.has(lower));
        for (const [lower, [name, reason]] of outcome.uncovered)
            this.noteUncovered(lower, name, reason);
        for (const lower of outcome.filled)
            this.filledOnce.add(lower);
    }
    /** Replaces the twin by a copy of the replay's database, then fills every table again. */
    resync() {
        const { wasm } = this.sqlite3;
        const bytes = this.api.sqlite3_js_db_export(this.main.pointer);
        this.closeTwin();
        const next = this.openTwin();
        this.db = next;
        this.filler = this.filler.rebind(next);
        const mem = wasm.allocFromTypedArray(bytes);
        const rc = this.api.sqlite3_deserialize(next.pointer, 'main', mem, bytes.length, bytes.length, this.api.SQLITE_DESERIALIZE_FREEONCLOSE | this.api.SQLITE_DESERIALIZE_RESIZEABLE);
        // Left out of sync: the next file tries again.
        if (rc !== this.sqlite3.capi.SQLITE_OK)
            throw new Error(`data check: copying the replay database failed (${rc})`);
        this.filledOnce = new Set();
        this.skippedIndexes = new Set();
        this.outOfSync = false;
        this.schemaRowid = Number(next.selectArrays(`SELECT max(rowid) FROM sqlite_schema`)[0]?.[0] ?? 0);
        const all = next.selectArrays(`SELECT lower(name) FROM sqlite_schema WHERE type = 'table'`).map((r) => String(r[0]));
        this.fillTables(all);
    }
    internal(lower) {
        return lower === this.migrationsTable.toLowerCase() || lower.startsWith('sqlite_') || lower.startsWith('_cf_');
    }
    noteUncovered(lower, name, reason) {
        if (this.uncoveredSeen.has(lower))
            return;
        this.uncoveredSeen.add(lower);
        this.uncovered.push(`${name} (${reason})`);
    }
    deferredViolations() {
        const rc = this.api.sqlite3_db_status(this.db.pointer, DBSTATUS_DEFERRED_FKS, this.status, this.status + 4, 0);
        if (rc !== this.sqlite3.capi.SQLITE_OK)
            return 0;
        return this.sqlite3.wasm.peek32(this.status);
    }
    failureFinding(file, ff, failure) {
        const head = failure.at?.facts.head;
        const msg = failure.message;
        if (/^CHECK constraint failed/.test(msg)) {
            return {
                note: `${file.name}: with synthetic rows \`${head ?? 'the file'}\` fails with "${msg}"; real rows may satisfy that CHECK, so it is not reported as fails-with-data. Make sure existing rows meet the constraint before deploying.`,
            };
        }
        let line = failure.at?.line;
        let hint = '';
        if (!failure.at) {
            // Deferred keys fail when the file's transaction ends: point at the DROP that left the children dangling.
            const drop = firstDrop(ff);
            line = drop?.line;
            hint =
                ` The check runs when the file's transaction ends${drop ? `: \`${drop.head}\` deleted rows that other tables' rows (ON DELETE NO ACTION or RESTRICT) still point at` : ''}.` +
                    ' PRAGMA defer_foreign_keys = on does not help: re-creating and renaming the table does not undo the violations counted at the DROP (turning it off again before the end discards them unchecked, which hides real orphans as well). Rebuild the referencing tables in the same file, or avoid the rebuild (ALTER TABLE … ADD/RENAME/DROP COLUMN); see docs/safe-table-changes.md.';
        }
        else if (/^UNIQUE constraint failed/.test(msg) && /^CREATE\s+UNIQUE\s+INDEX/i.test(head ?? '')) {
            hint = ' Existing rows hold duplicate values in the indexed columns (a column just added gives every existing row the same default). Deduplicate or backfill distinct values first, or make the index non-unique.';
        }
        else if (/Cannot add a NOT NULL column with default value NULL/.test(msg)) {
            hint = ' SQLite accepts ADD COLUMN … NOT NULL without a DEFAULT only while the table is empty: give the column a DEFAULT.';
        }
        else if (/NOT NULL constraint failed/.test(msg)) {
            hint = ' Existing rows have no value for a column that must have one (a copy that leaves a new NOT NULL column out, or copies NULLs into it): give it a DEFAULT or fill it in the copy.';
        }
        else if (/FOREIGN KEY constraint failed/.test(msg)) {
            hint = ' Rows already in the tables violate a foreign key this statement checks (D1 always enforces foreign keys).';
        }
        return {
            rule: 'fails-with-data',
            file: file.relPath,
            ...(line !== undefined && { line }),
            message: `Fails once the tables hold rows: ${msg}${head ? ` at \`${head}\`` : ' when the file ends'}. On an empty database (local tests) the file applies; on D1 with data wrangler stops at this file and rolls it back.${hint}`,
        };
    }
}
/** A statement the twin ran, with its line and what it does (read only when a finding needs it). */
function check_describe(text, e) {
    return { start: e.start, end: e.end, line: text.lineAt(e.start), facts: analyseStatement(text.slice(e.start, e.end)) };
}
function lossFinding(file, loss) {
    const { name, culprit } = loss;
    const counts = [];
    if (loss.before !== undefined)
        counts.push(`it had ${loss.before} row${loss.before === 1 ? '' : 's'} before and ${loss.left ?? 0} after being rebuilt`);
    else {
        if (loss.vanished > 0)
            counts.push(`${loss.vanished} row${loss.vanished === 1 ? ' was' : 's were'} deleted${loss.left === 0 ? ' (the table is left empty)' : ''}`);
        if (loss.changed > 0)
            counts.push(`${loss.changed} row${loss.changed === 1 ? ' was' : 's were'} changed`);
    }
    const via = culprit && culprit.victim.toLowerCase() !== name.toLowerCase() ? ` (while the rows were in ${culprit.victim}, which the file renames to ${name})` : '';
    const where = culprit ? ` by \`${culprit.executed.facts.head}\`${via}: ${culprit.mechanism}.` : '.';
    return {
        rule: 'rows-lost',
        file: file.relPath,
        ...(culprit && { line: culprit.executed.line }),
        table: name,
        message: `Rows of ${name} are lost: run on tables holding rows, ${counts.join(' and ')}${where} ` +
            `The file never deletes from or updates ${name} itself, and on an empty database (local tests) nothing shows. ${adviceFor(culprit)}`,
    };
}
function adviceFor(culprit) {
    if (culprit?.executed.facts.replace)
        return 'Use an upsert (INSERT … ON CONFLICT (…) DO UPDATE SET …) or an UPDATE, which keep the existing rows; see docs/safe-table-changes.md.';
    if (culprit?.executed.facts.targets.some((t) => t.how === 'drop')) {
        return 'Avoid the rebuild (ALTER TABLE … ADD/RENAME/DROP COLUMN), or rebuild the referencing tables in the same file, in dependency order; see docs/safe-table-changes.md.';
    }
    return 'If the file means to remove these rows, say so with a DELETE or UPDATE of the table, or suppress with `-- d1-migrate-ignore: rows-lost` above the statement; see docs/safe-table-changes.md.';
}
/** No row went missing on the way: the copy into the rebuilt table left rows out. */
function copyOf(ff, lineage) {
    const copy = ff.facts.find((f) => f.writes && lineage.has(f.writes.toLowerCase()) && !f.targets.length);
    if (!copy)
        return undefined;
    return {
        executed: { start: 0, end: 0, line: copy.line ?? 0, facts: copy },
        victim: [...lineage][0],
        mechanism: 'the copy does not take every row of the old table (a WHERE, a JOIN or a conflict clause leaves rows out), and the old table is dropped with them',
    };
}
/** The first DROP TABLE of the file (the usual cause of a deferred foreign key failure at its end). */
function firstDrop(ff) {
    const d = ff.facts.find((f) => f.targets.some((t) => t.how === 'drop'));
    return d ? { line: d.line ?? 0, head: d.head } : undefined;
}
function fileFacts(parsed) {
    const facts = [];
    const rowTargets = new Set();
    const replaced = new Set();
    const copied = new Set();
    const renames = [];
    const creates = new Map();
    for (const s of parsed.statements) {
        const f = analyseTokens(s.tokens, s.text);
        f.line = s.line;
        facts.push(f);
        for (const t of f.targets) {
            const lower = t.table.toLowerCase();
            if (t.how === 'delete' || t.how === 'update' || t.how === 'upsert')
                rowTargets.add(lower);
            if (t.how === 'drop')
                replaced.add(lower);
        }
        if (f.rename) {
            renames.push(f.rename);
            replaced.add(f.rename.from.toLowerCase());
        }
        if (f.creates)
            creates.set(f.creates.table.toLowerCase(), { name: f.creates.table, virtual: f.creates.virtual });
        // INSERT … SELECT reads the tables whose rows it copies.
        if (f.writes && !f.targets.some((t) => t.how === 'delete' || t.how === 'update')) {
            for (const t of s.tokens)
                if (NAME_KINDS.has(t.kind) && t.value.toLowerCase() !== f.writes.toLowerCase())
                    copied.add(t.value.toLowerCase());
        }
    }
    // A copy from `users_old` after `ALTER TABLE users RENAME TO users_old` copies the rows of users.
    for (const r of [...renames].reverse())
        if (copied.has(r.to.toLowerCase()))
            copied.add(r.from.toLowerCase());
    const rebuilt = new Set();
    for (const t of replaced) {
        if (copied.has(t))
            rebuilt.add(t);
        // Dropped (or renamed away) without copying its rows: the file discards or moves them on purpose.
        else
            rowTargets.add(t);
    }
    return { facts, rowTargets, rebuilt, renames, creates };
}
function same(a, b) {
    if (a instanceof Uint8Array && b instanceof Uint8Array)
        return a.length === b.length && a.every((x, i) => x === b[i]);
    return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}
function check_stringify(values) {
    return JSON.stringify(values, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `x${Buffer.from(v).toString('hex')}` : v));
}

;// CONCATENATED MODULE: ./build/src/replay/schema.js
const TYPE_ORDER = { table: 0, index: 1, trigger: 2, view: 3 };
/**
 * User objects of `sqlite_schema`: without SQLite's internal objects, wrangler's migrations table and D1's
 * reserved `_cf_` names. Sorted by table, then the table itself before its indexes and triggers, then name.
 */
function readSchema(db, migrationsTable) {
    // One row holding the whole schema as JSON: reading thousands of rows column by column through the WASM
    // boundary costs far more than SQLite building the JSON text and JSON.parse reading it.
    const rows = db.selectObjects(`SELECT json_group_array(json_array(type, name, tbl_name, sql)) AS objects FROM (
       SELECT type, name, tbl_name, sql FROM sqlite_schema
        WHERE type IN ('table', 'index', 'trigger', 'view')
          AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
          AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'
          AND name <> ?1 COLLATE NOCASE)`, [migrationsTable]);
    const objects = JSON.parse(String(rows[0]?.objects ?? '[]'));
    return sortSchema(objects.map(([type, name, tableName, sql]) => ({
        type: type,
        name: String(name),
        tableName: String(tableName),
        sql: sql == null ? null : String(sql),
    })));
}
function sortSchema(objects) {
    const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
    return [...objects].sort((a, b) => cmp(a.tableName.toLowerCase(), b.tableName.toLowerCase()) ||
        TYPE_ORDER[a.type] - TYPE_ORDER[b.type] ||
        cmp(a.name.toLowerCase(), b.name.toLowerCase()) ||
        cmp(a.name, b.name));
}

;// CONCATENATED MODULE: ./build/src/replay/replay.js
/**
 * Replays migrations on an in-process SQLite that behaves like local D1 (workerd) does under
 * `wrangler d1 migrations apply --local`: each file plus wrangler's bookkeeping INSERT runs atomically, foreign
 * keys are enforced, double-quoted strings are accepted, and the first failing file stops the run.
 */








const replay_SAVEPOINT = 'd1_migrate_replay';
const DQS_RULE = 'double-quoted-string';
const DROP_RULE = 'drop-referenced-table';
const OTHER = { kind: 'other' };
/** What workerd answers for transaction control (local wrangler fails the file with it). */
const D1_TRANSACTION_MESSAGE = 'To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements';
async function replayMigrations(input) {
    const sqlite3 = await loadSqlite();
    const replayer = new Replayer(sqlite3, input);
    try {
        return replayer.run();
    }
    finally {
        replayer.close();
    }
}
/** The schema after applying `files` in order (e.g. a base branch's migrations, for a PR schema diff). */
async function schemaOf(files, migrationsTable) {
    const result = await replayMigrations({ files, migrationsTable, disabled: new Set([DQS_RULE, DROP_RULE]) });
    return result.schema;
}
class Replayer {
    sqlite3;
    input;
    db;
    scratch;
    findings = [];
    notes = [];
    disabled;
    /**
     * Lower-cased new name → the old name and the tables whose foreign keys ALTER TABLE ... RENAME TO moved
     * from the old name to the new one, to explain why a later DROP of the new name hits them.
     */
    repointed = new Map();
    /** SAVEPOINT / RELEASE of the per-file transaction, prepared once and reset after each use. */
    savepoint;
    release;
    dataCheck;
    parsed;
    dataSeed;
    constructor(sqlite3, input) {
        this.sqlite3 = sqlite3;
        this.input = input;
        this.disabled = input.disabled ?? new Set();
        this.db = openD1Like(sqlite3);
        this.savepoint = this.db.prepare(`SAVEPOINT ${replay_SAVEPOINT}`);
        this.release = this.db.prepare(`RELEASE ${replay_SAVEPOINT}`);
        const dataRulesOn = [...DATA_LOSS_RULES].some((r) => !this.disabled.has(r));
        this.dataCheck = input.dataCheck && dataRulesOn ? new DataCheck(sqlite3, this.db, input.migrationsTable) : undefined;
        this.parsed = new Map((input.parsed ?? []).map((p) => [p.file.name, p]));
    }
    close() {
        this.savepoint.finalize();
        this.release.finalize();
        this.dataCheck?.close();
        this.db.close();
        this.scratch?.close();
    }
    run() {
        const result = this.replayFiles();
        // The data check's run-wide note (tables it could not fill) comes after the notes of the files.
        result.notes.push(...(this.dataCheck?.notes() ?? []));
        return this.dataSeed === undefined ? result : { ...result, dataSeed: this.dataSeed };
    }
    replayFiles() {
        const { files, migrationsTable } = this.input;
        const replayed = [];
        const notes = this.notes;
        const createError = tryExec(this.sqlite3, this.db, createMigrationsTableSql(migrationsTable));
        if (createError) {
            this.add({
                rule: 'replay-error',
                message: `wrangler cannot create its migrations table ${migrationsTable}: ${createError}. Check migrations_table in the wrangler config.`,
            });
            return { findings: this.findings, schema: [], replayed, failedAt: undefined, notReplayed: files.map((f) => f.name), notes };
        }
        for (let i = 0; i < files.length; i++) {
            const file = files[i];
            if (this.applyFile(file)) {
                replayed.push(file.name);
                continue;
            }
            const later = files.slice(i + 1);
            for (const f of later)
                this.syntaxCheckFile(f);
            if (later.length > 0) {
                notes.push(`${later.length} later migration${later.length === 1 ? ' was' : 's were'} not replayed because ${file.name} failed (wrangler stops at the first failing file); they were only syntax-checked.`);
            }
            return {
                findings: this.findings,
                schema: readSchema(this.db, migrationsTable),
                replayed,
                failedAt: file.name,
                notReplayed: later.map((f) => f.name),
                notes,
            };
        }
        return { findings: this.findings, schema: readSchema(this.db, migrationsTable), replayed, notReplayed: [], notes };
    }
    /** Runs one file atomically; returns false (after reporting) when it fails. */
    applyFile(file) {
        const { sqlite3 } = this;
        const { wasm } = sqlite3;
        const body = stripBom(file.sql);
        const full = body + bookkeepingSql(this.input.migrationsTable, file.name);
        const bookStart = Buffer.byteLength(body, 'utf8');
        const trimmed = wranglerTrim(full);
        if (!trimmed.ok) {
            this.reportFailure(file, undefined, bookStart, {
                message: `local wrangler refuses this file before running it: "${SEVERAL_TRANSACTIONS_MESSAGE.split('\n')[0]}" — the text "BEGIN TRANSACTION" still occurs after wrangler removed the first "BEGIN TRANSACTION;" (even inside a comment it counts). D1 runs each migration in a transaction already: remove every BEGIN TRANSACTION/COMMIT.`,
                parse: false,
                final: true,
                line: lineOfIndex(full, trimmed.index),
            });
            this.syntaxCheckFile(file);
            return false;
        }
        const text = new SqlText(sqlite3, trimmed.sql);
        const db = this.db.pointer;
        let failure;
        const data = this.runDataCheck(file, text);
        const beginError = stepPrepared(this.sqlite3, this.db, this.savepoint.pointer);
        if (beginError)
            throw new Error(`replay: SAVEPOINT ${replay_SAVEPOINT} failed: ${beginError}`);
        try {
            let offset = 0;
            for (;;) {
                const p = text.prepare(db, offset);
                if (!p.ok) {
                    failure = { message: p.message, start: p.start, errorOffset: p.errorOffset, parse: isParseError(p.message) };
                    break;
                }
                if (!p.stmt)
                    break;
                offset = p.end;
                try {
                    failure = this.runStatement(file, text, p.stmt, p.start, p.end, data);
                }
                finally {
                    wasm.exports.sqlite3_finalize(p.stmt);
                }
                if (failure)
                    break;
            }
            if (!failure) {
                // The outermost RELEASE commits, which is where deferred foreign keys are checked — as at the end of
                // D1's per-file transaction.
                const commitError = stepPrepared(this.sqlite3, this.db, this.release.pointer);
                if (commitError) {
                    failure = {
                        message: `${commitError} when the file's transaction commits (deferred foreign key checks: PRAGMA defer_foreign_keys or DEFERRABLE INITIALLY DEFERRED keys)`,
                        parse: false,
                        final: true,
                    };
                }
            }
            if (failure) {
                this.exec(`ROLLBACK TO ${replay_SAVEPOINT}`);
                this.exec(`RELEASE ${replay_SAVEPOINT}`);
                this.reportFailure(file, text, bookStart, failure);
                if (failure.start !== undefined) {
                    const resumeAt = failure.resumeAt ?? text.statementEnd(failure.start);
                    this.syntaxCheckText(file, text, resumeAt, bookStart);
                }
                return false;
            }
            // Data findings count only for a file that applies: one that fails anyway is reported as failing.
            for (const f of data?.findings ?? [])
                this.add(f);
            this.notes.push(...(data?.notes ?? []));
            return true;
        }
        finally {
            text.free();
        }
    }
    /** The data check of one file (before it runs for real); a fault in it must not stop the replay. */
    runDataCheck(file, text) {
        if (!this.dataCheck)
            return undefined;
        try {
            if (this.input.dumpDataBefore === file.name)
                this.dataSeed = this.dataCheck.dump();
            return this.dataCheck.run(file, text, this.parsed.get(file.name) ?? parseMigration(file));
        }
        catch (e) {
            this.dataCheck.markOutOfSync();
            this.notes.push(`Data check skipped for ${file.name}: ${e.message}`);
            return undefined;
        }
    }
    /** Executes one prepared statement; returns the failure, if any. */
    runStatement(file, text, stmt, start, end, data) {
        const { capi, wasm } = this.sqlite3;
        // Most statements (CREATE, INSERT, UPDATE...) are told apart by their first bytes, without decoding them.
        const kind = mayClassify(text.bytes, start) ? classifyStatement(text.slice(start, end)) : OTHER;
        switch (kind.kind) {
            // D1 ignores it inside its per-file transaction; running it would turn foreign keys off, which D1
            // never does. foreign-keys-pragma reports it.
            case 'pragma-foreign-keys':
                return undefined;
            // workerd rejects these, so local wrangler fails the file here (a BEGIN TRANSACTION;/COMMIT; pair that
            // wrangler strips never gets this far). The static rules report them; running them would break the
            // savepoint, so the replay stops here without a finding of its own.
            case 'transaction':
                return { message: D1_TRANSACTION_MESSAGE, start, parse: false, resumeAt: end, reportedBy: 'transaction-statement' };
            case 'attach':
            case 'vacuum':
                return { message: `D1 does not allow ${kind.kind === 'vacuum' ? 'VACUUM' : 'ATTACH/DETACH'}`, start, parse: false, resumeAt: end, reportedBy: 'unsupported-statement' };
            case 'drop-table':
                if (!this.disabled.has(DROP_RULE) && (!kind.schema || kind.schema.toLowerCase() === 'main')) {
                    this.checkDropReferenced(file, text, start, kind.table, data);
                }
                break;
            default:
                break;
        }
        if (!this.disabled.has(DQS_RULE) && text.hasByte(start, end, 0x22))
            this.checkDoubleQuoted(file, text, start, end, text.slice(start, end));
        const movedChildren = kind.kind === 'rename-table' && !this.disabled.has(DROP_RULE) ? this.referencing(kind.from).map((r) => String(r.child)) : [];
        const step = wasm.exports.sqlite3_step;
        let rc;
        do
            rc = step(stmt);
        while (rc === capi.SQLITE_ROW);
        if (rc !== capi.SQLITE_DONE) {
            return { message: capi.sqlite3_errmsg(this.db.pointer), start, parse: false, resumeAt: end };
        }
        if (kind.kind === 'rename-table' && movedChildren.length > 0) {
            this.repointed.set(kind.to.toLowerCase(), { from: kind.from, children: new Set(movedChildren) });
        }
        return undefined;
    }
    /**
     * SQLite falls back to a string literal for a double-quoted name that is not a column (DQS); D1 accepts
     * that silently. Preparing again with the fallback off shows whether this statement relies on it.
     */
    checkDoubleQuoted(file, text, start, end, sql) {
        const { capi } = this.sqlite3;
        setDoubleQuotedStrings(this.sqlite3, this.db, false);
        let r;
        try {
            r = text.prepareRange(this.db.pointer, start, end);
            if (r.stmt)
                capi.sqlite3_finalize(r.stmt);
        }
        finally {
            setDoubleQuotedStrings(this.sqlite3, this.db, true);
        }
        const m = r.message && /^no such column: "((?:[^"]|"")*)" - should this be a string literal/.exec(r.message);
        if (!m)
            return;
        const name = m[1].replace(/""/g, '"');
        const idx = sql.indexOf(`"${m[1]}"`);
        const at = r.errorOffset ?? (idx === -1 ? start : start + Buffer.byteLength(sql.slice(0, idx), 'utf8'));
        this.add({
            rule: DQS_RULE,
            file: file.relPath,
            line: text.lineAt(at),
            column: text.columnAt(at),
            message: `"${name}" is not a column here, so SQLite (and D1) silently read it as the text '${name}' (double-quoted string fallback): every row gets that string instead of a value. Write '${name.replace(/'/g, "''")}' in single quotes if a string is meant, or name the right column.`,
        });
    }
    /**
     * D1 keeps foreign keys on, so DROP TABLE of a parent runs an implicit DELETE that cascades into or is
     * blocked by the children — invisible on the empty database a replay or a local apply starts from.
     */
    checkDropReferenced(file, text, start, table, data) {
        const exists = this.db.selectObjects(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name = ?1 COLLATE NOCASE`, [table]);
        if (exists.length === 0)
            return;
        const parent = String(exists[0].name);
        const rows = this.referencing(parent);
        if (rows.length === 0)
            return;
        const refs = new Map();
        for (const r of rows) {
            const key = `${String(r.child)}\u0000${String(r.id)}`;
            const ref = refs.get(key) ?? { child: String(r.child), cols: [], onDelete: String(r.onDelete) };
            ref.cols.push(String(r.col));
            refs.set(key, ref);
        }
        const list = [...refs.values()].sort((a, b) => a.child.localeCompare(b.child) || a.cols.join().localeCompare(b.cols.join()));
        const describe = list.map((r) => `${r.child}(${r.cols.join(', ')}) ON DELETE ${r.onDelete}`).join(', ');
        const wiping = list.filter((r) => r.onDelete === 'CASCADE' || r.onDelete === 'SET NULL' || r.onDelete === 'SET DEFAULT');
        const blocking = list.filter((r) => !wiping.includes(r));
        const effects = [];
        const cascade = wiping.filter((r) => r.onDelete === 'CASCADE').map((r) => r.child);
        const nulling = wiping.filter((r) => r.onDelete !== 'CASCADE').map((r) => `${r.child}.${r.cols.join('/')}`);
        if (cascade.length)
            effects.push(`deletes every row of ${unique(cascade).join(', ')}`);
        if (nulling.length)
            effects.push(`resets ${unique(nulling).join(', ')} to NULL/default in every row`);
        if (blocking.length) {
            effects.push(`fails with "FOREIGN KEY constraint failed" because of ${unique(blocking.map((r) => r.child)).join(', ')} (even with PRAGMA defer_foreign_keys = on, unless the file turns it off again before its end, which discards the violations unchecked)`);
        }
        const moved = this.repointed.get(parent.toLowerCase());
        const movedHere = moved ? unique(list.map((r) => r.child).filter((c) => moved.children.has(c))) : [];
        const repointed = moved && movedHere.length
            ? ` ${movedHere.join(', ')} point${movedHere.length === 1 ? 's' : ''} at ${parent} because ALTER TABLE ${moved.from} RENAME TO ${parent} re-pointed ${movedHere.length === 1 ? 'its key' : 'their keys'}: SQLite rewrites other tables' references on rename.`
            : '';
        // The data check ran this file to its end with rows in every referencing table: what it saw beats the
        // prediction (the children may be dropped or emptied before, or copied before the DROP).
        const line = text.lineAt(start);
        if (data?.complete && this.dataCheck?.covers(list.map((r) => r.child)) && !data.findings.some((f) => f.line === line)) {
            this.notes.push(`${file.name} line ${line}: DROP TABLE ${parent} while ${unique(list.map((r) => r.child)).join(', ')} reference${list.length === 1 ? 's' : ''} it — the data check ran the file with rows in ${list.length === 1 ? 'that table' : 'those tables'} and no row was lost and nothing failed, so ${DROP_RULE} is not reported.`);
            return;
        }
        this.add({
            rule: DROP_RULE,
            file: file.relPath,
            line: text.lineAt(start),
            message: `DROP TABLE ${parent} while other tables reference it by foreign key: ${describe}.${repointed} ` +
                `D1 always enforces foreign keys (PRAGMA foreign_keys = OFF has no effect there), so on a database with rows the DROP's implicit DELETE ${effects.join('; and ')}. ` +
                `It passes on an empty database, so local tests do not show it. Rebuild the referencing tables in the same migration too, or avoid the rebuild (ALTER TABLE ADD/RENAME/DROP COLUMN); see drizzle-orm#4938.`,
        });
    }
    /** Foreign keys of other tables that name `parent` (one row per column). */
    referencing(parent) {
        return this.db.selectObjects(`SELECT m.name AS child, f.id AS id, f."from" AS col, upper(f.on_delete) AS onDelete
         FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS f
        WHERE m.type = 'table' AND f."table" = ?1 COLLATE NOCASE AND m.name <> ?1 COLLATE NOCASE
        ORDER BY m.name, f.id, f.seq`, [parent]);
    }
    reportFailure(file, text, bookStart, f) {
        const shared = this.sharedNumberNote(file);
        if (f.reportedBy && text && f.start !== undefined) {
            const first = firstLine(text.slice(f.start, f.resumeAt ?? text.statementEnd(f.start)));
            this.notes.push(`${file.name} fails under local wrangler at line ${text.lineAt(f.start)} (\`${first}\`: ${sentence(f.message)}) — reported as ${f.reportedBy}; the replay stops there as wrangler does.`);
            return;
        }
        if (f.final || !text || f.start === undefined) {
            this.add({ rule: 'replay-error', file: file.relPath, line: f.line, message: `${sentence(f.message)}${shared}` });
            return;
        }
        const lastLine = text.lineAt(Math.max(0, bookStart - 1));
        if (f.start >= bookStart) {
            const quoteNote = file.name.includes("'")
                ? ` The file name contains a ' and wrangler (before 4.106) puts the name into that INSERT unescaped, so the INSERT is broken: rename the file.`
                : '';
            this.add({
                rule: 'replay-error',
                file: file.relPath,
                line: lastLine,
                message: `The bookkeeping row wrangler appends (INSERT INTO ${this.input.migrationsTable} (name) values ('${file.name}')) fails: ${f.message}.${quoteNote}${shared}`,
            });
            return;
        }
        const end = f.resumeAt ?? text.statementEnd(f.start);
        const first = firstLine(text.slice(f.start, Math.min(end, bookStart)));
        const line = text.lineAt(f.start);
        const errLine = f.errorOffset !== undefined && f.errorOffset >= 0 ? text.lineAt(Math.min(f.errorOffset, text.length)) : line;
        const where = errLine !== line && (f.errorOffset ?? -1) < bookStart ? ` (at line ${errLine})` : '';
        if (f.parse) {
            const runsIntoBookkeeping = (f.errorOffset ?? -1) >= bookStart || end > bookStart;
            const semicolon = runsIntoBookkeeping
                ? ` The file's last statement is not terminated by ';', so the INSERT that wrangler appends to record the migration runs into it: end the statement with ';'.`
                : '';
            this.add({ rule: 'sql-syntax', file: file.relPath, line, message: `${f.message} in \`${first}\`${where}.${semicolon}${shared}` });
            return;
        }
        this.add({
            rule: 'replay-error',
            file: file.relPath,
            line,
            message: `${f.message} — replaying the migrations in wrangler's order on a fresh D1-like database fails at \`${first}\`${where}; wrangler stops here and rolls this file back.${shared}`,
        });
    }
    /** Files sharing the failing file's number: wrangler runs them all, in name order. */
    sharedNumberNote(file) {
        if (file.number === null)
            return '';
        const same = this.input.files.filter((f) => f.number === file.number);
        if (same.length < 2)
            return '';
        const names = same.map((f) => f.name);
        const before = names.slice(0, names.indexOf(file.name));
        const after = names.slice(names.indexOf(file.name) + 1);
        const order = names.join(' before ');
        const consequence = after.length
            ? ` ${file.name} runs before ${after.join(', ')}, so anything it needs from ${after.length === 1 ? 'that file' : 'those files'} does not exist yet: give it a higher number.`
            : before.length
                ? ` ${file.name} runs after ${before.join(', ')}.`
                : '';
        return ` ${same.length} files share the number ${file.numberText ?? file.number}: wrangler applies ${order} (name order for equal numbers).${consequence}`;
    }
    /** Prepare-only check of a file that is not replayed: parse errors are reported, missing names are not. */
    syntaxCheckFile(file) {
        const body = stripBom(file.sql);
        const text = new SqlText(this.sqlite3, body + bookkeepingSql(this.input.migrationsTable, file.name));
        try {
            this.syntaxCheckText(file, text, 0, Buffer.byteLength(body, 'utf8'));
        }
        finally {
            text.free();
        }
    }
    syntaxCheckText(file, text, from, bookStart) {
        const db = this.scratchDb().pointer;
        const { capi } = this.sqlite3;
        let offset = from;
        while (offset < text.length) {
            const p = text.prepare(db, offset);
            if (p.ok) {
                if (!p.stmt)
                    return;
                capi.sqlite3_finalize(p.stmt);
                offset = p.end;
                continue;
            }
            if (isParseError(p.message)) {
                this.reportFailure(file, text, bookStart, { message: p.message, start: p.start, errorOffset: p.errorOffset, parse: true });
            }
            offset = text.statementEnd(p.start);
        }
    }
    scratchDb() {
        if (!this.scratch) {
            this.scratch = openD1Like(this.sqlite3);
            try {
                this.scratch.exec(createMigrationsTableSql(this.input.migrationsTable));
            }
            catch {
                // Already reported by run(); prepare-only checks do not need the table.
            }
        }
        return this.scratch;
    }
    /** Savepoint control: cannot fail unless the replay itself is broken, so a failure is thrown. */
    exec(sql) {
        const error = tryExec(this.sqlite3, this.db, sql);
        if (error)
            throw new Error(`replay: ${sql} failed: ${error}`);
    }
    add(f) {
        if (this.disabled.has(f.rule))
            return;
        this.findings.push({
            rule: f.rule,
            severity: ruleInfo(f.rule).severity,
            ...(f.file !== undefined && { file: f.file }),
            ...(f.line !== undefined && { line: f.line }),
            ...(f.column !== undefined && { column: f.column }),
            ...(f.table !== undefined && { table: f.table }),
            message: f.message,
        });
    }
}
/** wrangler's statement splitter trims each statement with String#trim, which drops a leading BOM. */
function stripBom(sql) {
    return sql.charCodeAt(0) === 0xfeff ? sql.slice(1) : sql;
}
function sentence(s) {
    return /[.!?]$/.test(s) ? s : `${s}.`;
}
function lineOfIndex(s, index) {
    let n = 1;
    for (let i = s.indexOf('\n'); i !== -1 && i < index; i = s.indexOf('\n', i + 1))
        n++;
    return n;
}
function unique(xs) {
    return [...new Set(xs)];
}

;// CONCATENATED MODULE: ./build/src/report/schema-diff.js
/**
 * What a pull request changes in the schema, from two replayed schemas (base branch's migrations vs the
 * PR's), at the level a reviewer reads: tables, columns, indexes, triggers and views added, changed or
 * dropped. Pure: the replays happen elsewhere (src/replay `schemaOf`).
 *
 * Columns come from the CREATE TABLE text SQLite keeps in sqlite_schema. SQLite rewrites that text on
 * ALTER TABLE ADD/RENAME/DROP COLUMN, so parsing it gives the current columns without another replay.
 */


const schema_diff_TYPE_ORDER = ['table', 'column', 'constraint', 'index', 'trigger', 'view'];
/** Changes that turn `before` into `after`, tables first, each table followed by its columns and indexes. */
function diffSchemas(before, after) {
    const key = (o) => `${o.type}:${o.name.toLowerCase()}`;
    const old = new Map(before.map((o) => [key(o), o]));
    const now = new Map(after.map((o) => [key(o), o]));
    const changes = [];
    const droppedTables = before.filter((o) => o.type === 'table' && !now.has(key(o)));
    const addedTables = after.filter((o) => o.type === 'table' && !old.has(key(o)));
    const renamedTo = new Map();
    // ALTER TABLE ... RENAME TO shows up as drop + add with the same body; saying "renamed" is what happened.
    for (const d of droppedTables) {
        const body = tableBody(d.sql);
        if (body === null)
            continue;
        const match = addedTables.find((a) => !renamedTo.has(a) && tableBody(a.sql) === body);
        if (match)
            renamedTo.set(match, d);
    }
    const renamedFrom = new Set(renamedTo.values());
    for (const o of after) {
        const prev = old.get(key(o));
        if (o.type === 'table') {
            const was = prev ?? renamedTo.get(o);
            if (!was) {
                changes.push({ kind: 'added', object: 'table', name: o.name, table: o.name, definition: o.sql ?? undefined, columns: columnsOf(o.sql) });
                continue;
            }
            // A rename was matched on an identical column list, so there is nothing else to compare.
            if (!prev)
                changes.push({ kind: 'renamed', object: 'table', name: o.name, table: o.name, before: was.name });
            else if (canonical(was.sql) !== canonical(o.sql))
                changes.push(...diffTable(was, o));
        }
        else if (!prev) {
            changes.push({ kind: 'added', object: o.type, name: o.name, table: o.tableName, definition: o.sql ?? undefined });
        }
        else if (canonical(prev.sql) !== canonical(o.sql)) {
            changes.push({ kind: 'changed', object: o.type, name: o.name, table: o.tableName, definition: o.sql ?? undefined, before: prev.sql ?? undefined });
        }
    }
    for (const o of before) {
        if (now.has(key(o)) || renamedFrom.has(o))
            continue;
        changes.push({ kind: 'dropped', object: o.type, name: o.name, table: o.tableName, definition: o.sql ?? undefined });
    }
    const lower = (s) => s.toLowerCase();
    return changes.sort((a, b) => cmp(lower(a.table), lower(b.table)) ||
        schema_diff_TYPE_ORDER.indexOf(a.object) - schema_diff_TYPE_ORDER.indexOf(b.object) ||
        cmp(lower(a.name), lower(b.name)));
}
function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
function diffTable(before, after) {
    const a = tableShape(before.sql);
    const b = tableShape(after.sql);
    const table = after.name;
    // Virtual tables and CREATE TABLE ... AS have no column list to compare: report the statement.
    if (!a || !b)
        return [{ kind: 'changed', object: 'table', name: table, table, definition: after.sql ?? undefined, before: before.sql ?? undefined }];
    const out = [];
    for (const [k, col] of b.columns) {
        const prev = a.columns.get(k);
        if (!prev)
            out.push({ kind: 'added', object: 'column', name: col.name, table, definition: col.definition });
        else if (prev.key !== col.key)
            out.push({ kind: 'changed', object: 'column', name: col.name, table, definition: col.definition, before: prev.definition });
    }
    for (const [k, col] of a.columns) {
        if (!b.columns.has(k))
            out.push({ kind: 'dropped', object: 'column', name: col.name, table, definition: col.definition });
    }
    const has = (list, key) => list.some((c) => c.key === key);
    for (const c of b.constraints)
        if (!has(a.constraints, c.key))
            out.push({ kind: 'added', object: 'constraint', name: c.definition, table, definition: c.definition });
    for (const c of a.constraints)
        if (!has(b.constraints, c.key))
            out.push({ kind: 'dropped', object: 'constraint', name: c.definition, table, definition: c.definition });
    // Options after the column list (STRICT, WITHOUT ROWID) changed, or only the name's spelling did.
    if (out.length === 0)
        out.push({ kind: 'changed', object: 'table', name: table, table, definition: after.sql ?? undefined, before: before.sql ?? undefined });
    return out;
}
/** Column declarations of a CREATE TABLE statement, or undefined when it has no column list. */
function columnsOf(sql) {
    const shape = tableShape(sql);
    return shape ? [...shape.columns.values()].map((c) => c.definition) : undefined;
}
const QUOTED_KINDS = new Set(['string', 'dquoted', 'bracketed', 'backticked']);
/** The project's SQLite tokenizer, comments dropped, reduced to the three kinds this diff distinguishes. */
function schema_diff_tokenize(sql) {
    const out = [];
    for (const t of tokenize(sql)) {
        if (t.kind === 'comment')
            continue;
        const kind = t.kind === 'word' || t.kind === 'number' ? 'word' : QUOTED_KINDS.has(t.kind) ? 'quoted' : 'punct';
        out.push({ text: t.text, kind, start: t.start, end: t.end });
    }
    return out;
}
/** Tokens as written, comments dropped and whitespace runs collapsed to one space: for display. */
function joinTokens(tokens) {
    let s = '';
    let prevEnd = -1;
    for (const t of tokens) {
        s += (s === '' || t.start === prevEnd ? '' : ' ') + t.text;
        prevEnd = t.end;
    }
    return s;
}
/** Comparable form: comments, whitespace and keyword case do not count as a change. */
function comparable(tokens) {
    return tokens.map((t) => (t.kind === 'word' ? t.text.toUpperCase() : t.text)).join(' ');
}
function canonical(sql) {
    return sql === null ? '' : comparable(schema_diff_tokenize(sql));
}
function schema_diff_unquote(t) {
    if (t.kind !== 'quoted')
        return t.text;
    const q = t.text[0];
    const inner = t.text.slice(1, -1);
    return q === '[' ? inner : inner.split(q + q).join(q);
}
/** The tokens inside the top-level column list of a CREATE TABLE, split at depth-1 commas; null without one. */
function columnList(sql) {
    if (!sql)
        return null;
    const tokens = schema_diff_tokenize(sql);
    let i = 0;
    const word = (w) => tokens[i]?.kind === 'word' && tokens[i].text.toUpperCase() === w;
    if (!word('CREATE'))
        return null;
    i++;
    if (word('TEMP') || word('TEMPORARY'))
        i++;
    if (!word('TABLE'))
        return null;
    i++;
    if (word('IF'))
        i += 3;
    // schema-qualified name: name . name
    i++;
    if (tokens[i]?.text === '.')
        i += 2;
    if (tokens[i]?.text !== '(')
        return null;
    const parts = [[]];
    let depth = 0;
    for (i = i + 1; i < tokens.length; i++) {
        const t = tokens[i];
        if (t.text === '(')
            depth++;
        if (t.text === ')') {
            if (depth === 0)
                return parts;
            depth--;
        }
        if (t.text === ',' && depth === 0)
            parts.push([]);
        else
            parts[parts.length - 1].push(t);
    }
    return null;
}
const CONSTRAINT_START = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);
function tableShape(sql) {
    const parts = columnList(sql);
    if (!parts)
        return null;
    const shape = { columns: new Map(), constraints: [] };
    for (const part of parts) {
        if (part.length === 0)
            continue;
        const first = part[0];
        const definition = joinTokens(part);
        const key = comparable(part);
        if (first.kind === 'word' && CONSTRAINT_START.has(first.text.toUpperCase())) {
            shape.constraints.push({ definition, key });
        }
        else {
            const name = schema_diff_unquote(first);
            shape.columns.set(name.toLowerCase(), { name, definition, key });
        }
    }
    return shape;
}
/** The CREATE TABLE text after the table name: equal bodies mean a rename. */
function tableBody(sql) {
    if (!sql)
        return null;
    const cols = columnList(sql);
    if (!cols)
        return null;
    return cols.map(comparable).join(' , ');
}
const ICON = { added: '➕', changed: '✏️', dropped: '➖', renamed: '🔀' };
/**
 * Markdown list lines, one per change (a new table lists its columns as sub-items). Every name and
 * declaration is escaped; declarations are code spans so types read as SQL.
 */
function renderSchemaDiffLines(changes, opts = {}) {
    const max = opts.maxDefinition ?? 300;
    const cut = (s) => (s.length > max ? `${s.slice(0, max)}…` : s);
    const one = (s) => s.replace(/\s+/g, ' ').trim();
    const code = (s) => inlineCode(cut(one(s)), { table: false });
    const lines = [];
    for (const c of changes) {
        const icon = ICON[c.kind];
        switch (c.object) {
            case 'table':
                if (c.kind === 'added') {
                    lines.push(`- ${icon} table ${code(c.name)} added`);
                    for (const col of c.columns ?? [])
                        lines.push(`  - ${code(`${c.name}.${col}`)}`);
                }
                else if (c.kind === 'renamed') {
                    lines.push(`- ${icon} table ${code(c.before ?? '')} renamed to ${code(c.name)}`);
                }
                else if (c.kind === 'changed') {
                    lines.push(`- ${icon} table ${code(c.name)} changed: ${code(c.definition ?? '')}`);
                }
                else {
                    lines.push(`- ${icon} table ${code(c.name)} dropped`);
                }
                break;
            case 'column':
                if (c.kind === 'changed')
                    lines.push(`- ${icon} column ${code(`${c.table}.${c.before ?? ''}`)} changed to ${code(`${c.table}.${c.definition ?? ''}`)}`);
                else
                    lines.push(`- ${icon} column ${code(`${c.table}.${c.definition ?? c.name}`)} ${c.kind}`);
                break;
            case 'constraint':
                lines.push(`- ${icon} constraint on ${code(c.table)} ${c.kind}: ${code(c.definition ?? '')}`);
                break;
            default:
                if (c.kind === 'changed')
                    lines.push(`- ${icon} ${c.object} ${code(c.name)} on ${code(c.table)} changed: ${code(c.definition ?? '')}`);
                else if (c.kind === 'added')
                    lines.push(`- ${icon} ${c.object} ${code(c.name)} on ${code(c.table)} added: ${code(c.definition ?? '')}`);
                else
                    lines.push(`- ${icon} ${c.object} ${code(c.name)} on ${code(c.table)} dropped`);
        }
    }
    return lines;
}
/** The diff as markdown; "No schema changes." when there are none. */
function renderSchemaDiff(changes) {
    if (changes.length === 0)
        return escapeMarkdown('No schema changes.');
    return renderSchemaDiffLines(changes).join('\n');
}

;// CONCATENATED MODULE: ./build/src/wrangler/schema.js


const SCHEMA_QUERY = "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type IN ('table','index','trigger','view') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'view' THEN 1 WHEN 'index' THEN 2 ELSE 3 END, name";
/** The schema of the session's database, read with `d1 execute --json` (test and drift phases). */
async function readLiveSchema(session) {
    const read = await session.run(d1Args(session, ['execute'], ['--json', '--command', SCHEMA_QUERY]));
    const json = parseJsonOutput(read.stdout);
    if (!succeeded(read) || json?.kind !== 'results')
        return { ok: false, failure: session.classify(read) };
    return {
        ok: true,
        objects: (json.results[0]?.results ?? []).map((r) => ({
            type: r.type,
            name: String(r.name),
            tableName: String(r.tbl_name),
            sql: r.sql === null || r.sql === undefined ? null : String(r.sql),
        })),
    };
}

;// CONCATENATED MODULE: ./build/src/phases/drift.js






const RULE = 'schema-drift';
/**
 * Drift against the migrations: the live schema (from sqlite_schema via `d1 execute --json`) compared with
 * a replay of exactly the files its ledger lists as applied, so pending migrations are not drift.
 */
async function driftPhase(ctx) {
    const { report, target } = ctx;
    const session = openSession(ctx);
    if (session.command.problem) {
        report.failure ??= { phase: 'drift', kind: 'wrangler-missing', message: session.command.problem };
        return;
    }
    const ledger = await readLedger(session);
    if (!ledger.ok) {
        report.failure ??= { phase: 'drift', kind: ledger.failure.kind, message: `reading the ledger failed: ${ledger.failure.message}` };
        return;
    }
    const read = await readLiveSchema(session);
    if (!read.ok) {
        report.failure ??= { phase: 'drift', kind: read.failure.kind, message: `reading the schema failed: ${read.failure.message}` };
        return;
    }
    const live = read.objects
        .filter((o) => o.tableName.toLowerCase() !== target.migrationsTable.toLowerCase() && !/^_cf_/i.test(o.name));
    report.liveSchema = live;
    const applied = new Set(ledger.entries.map((e) => e.name));
    const files = ctx.migrations.filter((m) => applied.has(m.name));
    const expected = await schemaOf(files, target.migrationsTable);
    recordDrift(report, 'migrations', diffSchemas(expected, live), `the schema the ${files.length} applied migration(s) produce`);
}
/** Cross-environment drift: every later environment's live schema against the first one's, per binding. */
function compareEnvironments(databases) {
    const byBinding = new Map();
    for (const d of databases) {
        if (!d.liveSchema)
            continue;
        const list = byBinding.get(d.binding) ?? [];
        list.push(d);
        byBinding.set(d.binding, list);
    }
    for (const list of byBinding.values()) {
        const [reference, ...others] = list;
        for (const d of others) {
            const name = reference.environment ?? 'top level';
            recordDrift(d, `environment:${name}`, diffSchemas(reference.liveSchema, d.liveSchema), `environment ${name}`);
        }
    }
}
function recordDrift(report, against, changes, what) {
    const comparison = { against, changes };
    (report.drift ??= []).push(comparison);
    if (changes.length === 0)
        return;
    const shown = changes.slice(0, 10).map(describeChange).join('; ');
    const more = changes.length > 10 ? `; … ${changes.length - 10} more` : '';
    report.findings.push({
        rule: RULE,
        severity: ruleInfo(RULE).severity,
        message: `The live schema of ${report.environment ?? 'top level'} · ${report.binding} differs from ${what}: ${shown}${more}. Find who changed it (a hand-run statement, an edited migration) and bring it back in line with a new migration.`,
    });
}
function describeChange(c) {
    const what = c.object === 'column' ? `column ${c.table}.${c.name}` : `${c.object} ${c.name}`;
    switch (c.kind) {
        case 'added':
            return `${what} exists only in the database${c.definition ? ` (${c.definition})` : ''}`;
        case 'dropped':
            return `${what} is missing from the database`;
        case 'renamed':
            return `table ${c.before} is named ${c.name} in the database`;
        default:
            return `${what} differs (${c.before ?? '?'} → ${c.definition ?? '?'})`;
    }
}

;// CONCATENATED MODULE: ./build/src/phases/history.js



/**
 * The ledger after this run (applied_at per migration); which of it this run applied is `report.applied`.
 * No wrangler call when apply already knows the result (it re-read the ledger, or nothing changed beyond
 * what wrangler confirmed); one `SELECT` otherwise.
 */
async function historyPhase(ctx) {
    const { report, io, options } = ctx;
    const known = ledgerAfter(report);
    if (known) {
        report.history = known.entries;
        return;
    }
    // Preview read the ledger and nothing was applied since (apply is not part of this run).
    if (ctx.ledgerBefore && !options.phases.includes('apply')) {
        report.history = ctx.ledgerBefore;
        return;
    }
    const session = openSession(ctx);
    if (session.command.problem) {
        report.failure ??= { phase: 'history', kind: 'wrangler-missing', message: session.command.problem };
        return;
    }
    const read = await readLedger(session);
    if (!read.ok) {
        report.failure ??= { phase: 'history', kind: read.failure.kind, message: read.failure.message };
        io.warning(`history: could not read the ledger: ${read.failure.message}`);
        return;
    }
    report.history = read.entries;
}

;// CONCATENATED MODULE: ./build/src/phases/preview.js



/**
 * Reads the ledger of the same database, target and environment apply will use (never the local one by
 * accident), lists what is pending and reports drift. Writes nothing: a missing migrations table is an
 * empty ledger.
 */
async function previewPhase(ctx) {
    const { report, io } = ctx;
    const session = openSession(ctx);
    if (session.command.problem) {
        report.failure = { phase: 'preview', kind: 'wrangler-missing', message: session.command.problem };
        return;
    }
    const ledger = await readLedger(session);
    if (!ledger.ok) {
        report.failure = { phase: 'preview', kind: ledger.failure.kind, message: ledger.failure.message };
        io.warning(`preview: could not read the ${session.where} ledger of ${ctx.target.databaseName}: ${ledger.failure.message}`);
        return;
    }
    ctx.ledgerBefore = ledger.entries;
    const pending = pendingMigrations(ctx.migrations, ledger.entries);
    report.pending = pending.map((m) => m.name);
    report.findings.push(...ledgerFindings(ctx.migrations, ledger.entries, ctx.target));
    if (!ledger.exists)
        report.notes.push(`The ${ctx.target.migrationsTable} table does not exist yet on the ${session.where} database; apply will create it.`);
    io.info(`preview (${session.where}): ${ledger.entries.length} applied, ${pending.length} pending` +
        (pending.length ? `: ${pending.map((m) => m.name).join(', ')}` : ''));
}

;// CONCATENATED MODULE: ./build/src/phases/restore.js


/** Restores the remote database to `options.bookmark` with Time Travel (on demand, e.g. after a bad deploy). */
async function restorePhase(ctx) {
    const { report, io, options, target } = ctx;
    const bookmark = options.bookmark?.trim();
    if (!bookmark) {
        report.failure = { phase: 'restore', kind: 'config', message: 'The restore phase needs a bookmark (input `bookmark`, CLI `--bookmark`).' };
        return;
    }
    if (options.target !== 'remote') {
        report.failure = { phase: 'restore', kind: 'config', message: 'Time Travel restore works on remote D1 only; use target: remote.' };
        return;
    }
    const session = openSession(ctx);
    if (session.command.problem) {
        report.failure = { phase: 'restore', kind: 'wrangler-missing', message: session.command.problem };
        return;
    }
    const result = await restoreBookmark(session, bookmark);
    if (!result.ok) {
        report.failure = { phase: 'restore', kind: result.failure.kind, message: result.failure.message };
        report.status = 'failed';
        return;
    }
    // The bookmark output is "where to go to undo this run", which for a restore is the state it replaced.
    if (result.previousBookmark)
        report.bookmark = result.previousBookmark;
    const undo = result.previousBookmark ? ` To undo: ${restoreCommand(target, result.previousBookmark)}` : '';
    const message = `Restored ${target.databaseName} to bookmark ${result.bookmark}.${undo}`;
    report.notes.push(message);
    report.status = 'applied';
    io.info(message);
}

;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./build/src/phases/test.js







/**
 * Applies every migration to a throw-away local D1 (real wrangler, a temporary --persist-to folder deleted
 * afterwards) and lists the resulting schema: the PR check that needs no credentials.
 */
async function testPhase(ctx) {
    const { report, io } = ctx;
    const dir = external_node_fs_.mkdtempSync(external_node_path_.join(external_node_os_namespaceObject.tmpdir(), 'd1-migrate-test-'));
    try {
        const session = openSession(ctx, { where: 'local', persistTo: dir });
        if (session.command.problem) {
            report.failure ??= { phase: 'test', kind: 'wrangler-missing', message: session.command.problem };
            return;
        }
        const applied = await session.run(d1Args(session, ['migrations', 'apply']));
        if (!succeeded(applied)) {
            const failure = session.classify(applied);
            const detail = failure.sqliteMessage ?? failure.message;
            const file = failure.migration ? ctx.migrations.find((m) => m.name === failure.migration) : undefined;
            report.failure ??= { phase: 'test', kind: failure.kind, message: failure.migration ? `${failure.migration}: ${detail}` : detail };
            if (file) {
                const line = failureLine(file.sql, detail);
                report.findings.push({
                    rule: 'replay-error',
                    severity: ruleInfo('replay-error').severity,
                    file: file.relPath,
                    ...(line ? { line } : {}),
                    message: `Applying the migrations to a fresh local D1 with wrangler failed at ${file.name}: ${detail}`,
                });
            }
            io.warning(`test: applying to a fresh local D1 failed: ${report.failure.message}`);
            return;
        }
        const read = await readLiveSchema(session);
        if (!read.ok) {
            report.failure ??= { phase: 'test', kind: read.failure.kind, message: `reading the schema failed: ${read.failure.message}` };
            return;
        }
        report.schema = read.objects;
        io.info(`test: ${ctx.migrations.length} migrations applied to a fresh local D1; ${report.schema.length} schema objects`);
    }
    finally {
        external_node_fs_.rmSync(dir, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: external "node:buffer"
const external_node_buffer_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");
;// CONCATENATED MODULE: ./node_modules/balanced-match/dist/esm/index.js
const balanced = (a, b, str) => {
    const ma = a instanceof RegExp ? maybeMatch(a, str) : a;
    const mb = b instanceof RegExp ? maybeMatch(b, str) : b;
    const r = ma !== null && mb != null && range(ma, mb, str);
    return (r && {
        start: r[0],
        end: r[1],
        pre: str.slice(0, r[0]),
        body: str.slice(r[0] + ma.length, r[1]),
        post: str.slice(r[1] + mb.length),
    });
};
const maybeMatch = (reg, str) => {
    const m = str.match(reg);
    return m ? m[0] : null;
};
const range = (a, b, str) => {
    let begs, beg, left, right = undefined, result;
    let ai = str.indexOf(a);
    let bi = str.indexOf(b, ai + 1);
    let i = ai;
    if (ai >= 0 && bi > 0) {
        if (a === b) {
            return [ai, bi];
        }
        begs = [];
        left = str.length;
        while (i >= 0 && !result) {
            if (i === ai) {
                begs.push(i);
                ai = str.indexOf(a, i + 1);
            }
            else if (begs.length === 1) {
                const r = begs.pop();
                if (r !== undefined)
                    result = [r, bi];
            }
            else {
                beg = begs.pop();
                if (beg !== undefined && beg < left) {
                    left = beg;
                    right = bi;
                }
                bi = str.indexOf(b, i + 1);
            }
            i = ai < bi && ai >= 0 ? ai : bi;
        }
        if (begs.length && right !== undefined) {
            result = [left, right];
        }
    }
    return result;
};
//# sourceMappingURL=index.js.map
;// CONCATENATED MODULE: ./node_modules/brace-expansion/dist/esm/index.js

const escSlash = '\0SLASH' + Math.random().toFixed(16) + '\0';
const escOpen = '\0OPEN' + Math.random().toFixed(16) + '\0';
const escClose = '\0CLOSE' + Math.random().toFixed(16) + '\0';
const escComma = '\0COMMA' + Math.random().toFixed(16) + '\0';
const escPeriod = '\0PERIOD' + Math.random().toFixed(16) + '\0';
const escSlashPattern = new RegExp(escSlash, 'g');
const escOpenPattern = new RegExp(escOpen, 'g');
const escClosePattern = new RegExp(escClose, 'g');
const escCommaPattern = new RegExp(escComma, 'g');
const escPeriodPattern = new RegExp(escPeriod, 'g');
const slashPattern = /\\\\/g;
const openPattern = /\\{/g;
const closePattern = /\\}/g;
const commaPattern = /\\,/g;
const periodPattern = /\\\./g;
const EXPANSION_MAX = 100_000;
// `EXPANSION_MAX` caps the *number* of expansions, but not their length. An
// input like `'{a,b}'.repeat(1500)` stays under that count - its output is
// truncated to 100k results - while making every result ~1500 characters
// long. The result set, and the intermediate arrays built while combining
// brace sets, then grow large enough to exhaust memory and crash the process
// (CVE-2026-14257). `EXPANSION_MAX_LENGTH` bounds the total number of
// characters the accumulator may hold at any point, so memory stays flat no
// matter how many brace groups are chained. The limit sits well above any
// realistic expansion (100k results hitting `EXPANSION_MAX` measure ~1M
// characters) so legitimate input is unaffected.
const EXPANSION_MAX_LENGTH = 4_000_000;
// `expand_` recurses once per level of brace *nesting* - both when expanding a
// set's comma members and when re-wrapping a set whose body is a single part.
// The CVE-2026-14257 fix made the *tail* iterative (recursion on `m.post`, one
// level per chained group), which left nesting depth unbounded: about 3,100
// levels of `{{{...a,b...}}}` - only ~6KB of input - exhausted the native stack
// and crashed the process. `EXPANSION_MAX_DEPTH` bounds how deep the parser
// will follow nesting. It sits far above any realistic pattern and well below
// the depth at which the stack runs out.
const EXPANSION_MAX_DEPTH = 1_000;
// Bash keeps a quirk where a brace group followed by a comma set still expands
// (`{a},b}`). The parser implements it by rewriting the string and restarting
// the scan, absorbing one `}` per pass. `n` trailing braces therefore cost `n`
// full passes over a string that itself grows by one `escClose` sentinel each
// time - quadratic in `n`, with a ~26x constant from the sentinel's length.
// 128KB of `'{a}' + '}'.repeat(n) + ',z}'` blocked the event loop for 27
// seconds to produce two results. `EXPANSION_MAX_REWRITES` bounds how many
// times the scan may restart. Real `{a},b}` input needs a handful.
const EXPANSION_MAX_REWRITES = 1_000;
// `EXPANSION_MAX_STEPS` bounds the work one `expand` call does, which `max`,
// `maxLength` and `maxDepth` don't: nested sets are rescanned at every level
// and chained groups each rebuild up to `max` results, so 2KB of input could
// block the event loop for over 30 seconds. Each character scanned, result
// built and sequence value generated is a step, and each `expand_` call costs
// `CALL_STEPS` more. Past the budget, the set being expanded and everything
// after it stay literal. A glob needs a few hundred steps, and nesting all the
// way to `EXPANSION_MAX_DEPTH` about 4M.
const EXPANSION_MAX_STEPS = 20_000_000;
// What one `expand_` call costs on top of what it scans and builds. Setting
// one up takes about as long as scanning 16 characters, and a set whose
// results are wrapped to be expanded again makes one call per result, each
// scanning and building next to nothing: 64KB of
// `('{{' + ','.repeat(316) + '}{' + ','.repeat(316) + '}}').repeat(n)` made
// 4M such calls, which spent the budget three times as slowly as anything
// else.
const CALL_STEPS = 16;
function numeric(str) {
    return !isNaN(str) ? parseInt(str, 10) : str.charCodeAt(0);
}
function escapeBraces(str) {
    return str
        .replace(slashPattern, escSlash)
        .replace(openPattern, escOpen)
        .replace(closePattern, escClose)
        .replace(commaPattern, escComma)
        .replace(periodPattern, escPeriod);
}
function unescapeBraces(str) {
    return str
        .replace(escSlashPattern, '\\')
        .replace(escOpenPattern, '{')
        .replace(escClosePattern, '}')
        .replace(escCommaPattern, ',')
        .replace(escPeriodPattern, '.');
}
// Like `target.push(...items)` but doesn't overflow the stack
function pushAll(target, items) {
    for (let i = 0; i < items.length; i++) {
        target.push(items[i]);
    }
}
// `balanced`, run on `masked` (see `maskUnmatchedOpens`), sliced from `str`
// and charged for the characters it walks: up to the group's `}`, or the
// whole string when there is no match or unmatched `{` come first, which
// `unmatched` then flags for masking. Once a call overdraws the budget, it
// and every later one return undefined, so the rest stays literal.
function balancedWithBudget(str, masked, budget) {
    if (budget.remaining < 0) {
        return undefined;
    }
    const r = range('{', '}', masked);
    const unmatched = r !== undefined && masked.indexOf('{') < r[0];
    budget.remaining -= r && !unmatched ? r[1] + 1 : str.length;
    if (!r || budget.remaining < 0) {
        return undefined;
    }
    return {
        end: r[1],
        pre: str.slice(0, r[0]),
        body: str.slice(r[0] + 1, r[1]),
        post: str.slice(r[1] + 1),
        unmatched,
    };
}
// `masked` with every `{` that has no matching `}` swapped for a `\0`, which
// keeps the length, so a scan of it still lines up with the string it was
// made from. Such a `{` is literal either way, but `balanced` only learns that
// one is unmatched by reading to the end of the string, so with one at the
// head of every group (`'{a,{b,c}'.repeat(n)`) each scan read the rest of the
// input. That was quadratic, and once the step budget charged for it, it ran
// out partway through and left the rest literal. A scan of the masked copy
// stops at the group's `}`. It is one pass, charged as such.
function maskUnmatchedOpens(masked, budget) {
    budget.remaining -= masked.length;
    const open = [];
    for (let i = 0; i < masked.length; i++) {
        const c = masked.charCodeAt(i);
        if (c === 0x7b) {
            open.push(i);
        }
        else if (c === 0x7d && open.length) {
            open.pop();
        }
    }
    let out = '';
    let last = 0;
    for (let i = 0; i < open.length; i++) {
        const at = open[i];
        out += masked.slice(last, at) + '\0';
        last = at + 1;
    }
    return out + masked.slice(last);
}
// Whether `str` has a `,` not followed by another `,`, with a `}` after it on
// the same line - what `/,(?!,).*\}/.test(str)` asks, answered in one pass from
// the end. The regex tries every `,` and backtracks through the rest of its
// line from each, which is quadratic, and the `{a},b}` rewrite asks again on
// every pass. Like a scan, it is charged for the whole string and refused if
// that overdraws the budget.
function commaSetFollows(str, budget) {
    budget.remaining -= str.length;
    if (budget.remaining < 0) {
        return false;
    }
    // Whether a `}` follows the current position before the line ends
    let close = false;
    for (let i = str.length - 1; i >= 0; i--) {
        const c = str.charCodeAt(i);
        if (c === 0x7d) {
            close = true;
        }
        else if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) {
            // A line terminator, which `.` does not match
            close = false;
        }
        else if (c === 0x2c && close && str.charCodeAt(i + 1) !== 0x2c) {
            return true;
        }
    }
    return false;
}
/**
 * Basically just str.split(","), but handling cases
 * where we have nested braced sections, which should be
 * treated as individual members, like {a,{b,c},d}
 *
 * Returns `undefined` if the step budget runs out before the whole set is
 * split, since splitting what is left on every comma would tear apart the
 * nested sets it still holds.
 */
function parseCommaParts(str, budget) {
    const parts = [];
    // Walk the brace groups iteratively. Recursing on `post` once per group let a
    // chain of them exhaust the stack - the parsing-side counterpart to
    // the `expand_` overflow fixed for CVE-2026-14257, and not something `max` or
    // `maxLength` can bound, since it happens before expansion.
    //
    // The part the next chunk continues
    let carry = '';
    for (;;) {
        // A set's body holds no unmatched `{`, so there is nothing to mask.
        const m = balancedWithBudget(str, str, budget);
        if (budget.remaining < 0) {
            return undefined;
        }
        if (!m) {
            const tail = str.split(',');
            tail[0] = carry + tail[0];
            pushAll(parts, tail);
            return parts;
        }
        const { pre, body, post } = m;
        const p = pre.split(',');
        p[0] = carry + p[0];
        p[p.length - 1] += '{' + body + '}';
        if (!post.length) {
            pushAll(parts, p);
            return parts;
        }
        carry = p.pop();
        pushAll(parts, p);
        str = post;
    }
}
// An option that is left out, or that is NaN, gets its default. Every
// comparison against NaN is false, so a NaN bound would never be reached:
// `{ maxSteps: NaN }` let 15KB of input block the event loop for 16 seconds,
// and `{ maxDepth: NaN }` overflowed the stack again (CVE-2026-102278). Pass
// `Infinity` to lift a bound.
function bound(value, fallback) {
    return value === undefined || isNaN(value) ? fallback : value;
}
function expand(str, options = {}) {
    if (!str) {
        return [];
    }
    const max = bound(options.max, EXPANSION_MAX);
    const maxLength = bound(options.maxLength, EXPANSION_MAX_LENGTH);
    const maxDepth = bound(options.maxDepth, EXPANSION_MAX_DEPTH);
    const maxRewrites = bound(options.maxRewrites, EXPANSION_MAX_REWRITES);
    const maxSteps = bound(options.maxSteps, EXPANSION_MAX_STEPS);
    // I don't know why Bash 4.3 does this, but it does.
    // Anything starting with {} will have the first two bytes preserved
    // but *only* at the top level, so {},a}b will not expand to anything,
    // but a{},b}c will be expanded to [a}c,abc].
    // One could argue that this is a bug in Bash, but since the goal of
    // this module is to match Bash's rules, we escape a leading {}
    if (str.slice(0, 2) === '{}') {
        str = '\\{\\}' + str.slice(2);
    }
    return expand_(escapeBraces(str), max, maxLength, maxDepth, 0, maxRewrites, { remaining: maxSteps }, true).map(unescapeBraces);
}
function embrace(str) {
    return '{' + str + '}';
}
function isPadded(el) {
    return /^-?0\d/.test(el);
}
function lte(i, y) {
    return i <= y;
}
function gte(i, y) {
    return i >= y;
}
// Build `{ acc[a] + pre + values[v] }` for every combination, capping the
// number of results at `max` and the total number of characters at `maxLength`.
// This is the one place output grows, so bounding it here keeps the single
// accumulator - and therefore memory - flat regardless of how many brace groups
// are combined (CVE-2026-14257). Each result built is a step, since `max` and
// `maxLength` bound one combination, not how many brace groups are combined.
function combine(acc, pre, values, max, maxLength, dropEmpties, budget) {
    const out = [];
    let length = 0;
    // Bash drops empty results at the top level, and they don't count against
    // `max`, so `max` bounds the number of *kept* results. Only an empty
    // `acc[a] + pre` can make one, so for those the empty values are skipped
    // without being visited. Visiting them one at a time let a set of empties
    // cost `acc.length * values.length` while keeping nothing.
    let nonEmpty;
    outer: for (let a = 0; a < acc.length; a++) {
        const prefix = acc[a] + pre;
        let vs = values;
        if (dropEmpties && !prefix) {
            if (!nonEmpty)
                nonEmpty = values.filter(v => v);
            vs = nonEmpty;
        }
        for (let v = 0; v < vs.length; v++) {
            if (out.length >= max)
                break outer;
            const expansion = prefix + vs[v];
            if (length + expansion.length > maxLength)
                break outer;
            out.push(expansion);
            length += expansion.length;
        }
    }
    budget.remaining -= out.length;
    return out;
}
// The expansion values of a single numeric (`1..5`) or alphabetic (`a..e..2`)
// sequence body, or `undefined` if the step budget runs out generating them.
function expandSequence(body, isAlphaSequence, max, maxLength, budget) {
    const n = body.split(/\.\./);
    const N = [];
    // A sequence body always splits into two or three parts, but the compiler
    // can't know that.
    /* c8 ignore start */
    if (n[0] === undefined || n[1] === undefined) {
        return N;
    }
    /* c8 ignore stop */
    const x = numeric(n[0]);
    const y = numeric(n[1]);
    const width = Math.max(n[0].length, n[1].length);
    let incr = n.length === 3 && n[2] !== undefined ?
        Math.max(Math.abs(numeric(n[2])), 1)
        : 1;
    let test = lte;
    const reverse = y < x;
    if (reverse) {
        incr *= -1;
        test = gte;
    }
    const pad = n.some(isPadded);
    // A padded value is built a character at a time to `width`, which the input
    // sets, so it costs one step per character: 64KB of
    // `('{' + '0'.repeat(100) + '..99999}').repeat(n)` took 7 seconds charged
    // one step per value.
    const cost = pad ? width : 1;
    let length = 0;
    for (let i = x; test(i, y) && N.length < max; i += incr) {
        // Each value is a step. `max` and `maxLength` bound one sequence, but a
        // chain of them still generated up to `max` values each, however few
        // combining could keep.
        budget.remaining -= cost;
        if (budget.remaining < 0) {
            return undefined;
        }
        let c;
        if (isAlphaSequence) {
            c = String.fromCharCode(i);
            if (c === '\\') {
                c = '';
            }
        }
        else {
            c = String(i);
            if (pad) {
                const need = width - c.length;
                if (need > 0) {
                    const z = new Array(need + 1).join('0');
                    if (i < 0) {
                        c = '-' + z + c.slice(1);
                    }
                    else {
                        c = z + c;
                    }
                }
            }
        }
        if (length + c.length > maxLength)
            break;
        N.push(c);
        length += c.length;
    }
    return N;
}
function expand_(str, max, maxLength, maxDepth, depth, maxRewrites, budget, isTop) {
    // An overdraft here makes the first scan refuse, so `str` stays literal.
    budget.remaining -= CALL_STEPS;
    // Too deeply nested to keep following: treat the rest as literal, the same
    // way a group that cannot expand is already handled. Truncating rather than
    // throwing keeps `expand` total, matching `max` and `maxLength`.
    if (depth > maxDepth) {
        return [str];
    }
    // Consume the string's top-level brace groups left to right, threading a
    // running set of combined prefixes (`acc`). Expanding the tail iteratively -
    // rather than recursing on `m.post` once per group - keeps the native stack
    // depth constant, so deeply chained input (`'{a,b}'.repeat(3000)`) can no
    // longer overflow the stack, and leaves a single accumulator whose size
    // `maxLength` bounds directly (CVE-2026-14257).
    let acc = [''];
    // Bash drops empty results, but only when the *first* top-level group is a
    // comma set - a sequence like `{a..\}` may legitimately yield ''. The drop
    // is on the final strings, so it is applied to whichever `combine` produces
    // them (the one with no brace set left in the tail).
    // How many times the `{a},b}` rewrite below has restarted the scan. Each pass
    // re-reads the whole string, so leaving this unbounded is quadratic.
    let rewrites = 0;
    let dropEmpties = false;
    let firstGroup = true;
    // `str` with its unmatched `{` masked, once a scan has run into them
    let masked = str;
    for (;;) {
        const m = balancedWithBudget(str, masked, budget);
        // No brace set left, or no step budget left to look for one: the rest of
        // the string is literal.
        if (!m) {
            return combine(acc, str, [''], max, maxLength, dropEmpties, budget);
        }
        if (m.unmatched) {
            masked = maskUnmatchedOpens(masked, budget);
        }
        // no need to expand pre, since it is guaranteed to be free of brace-sets
        const pre = m.pre;
        // This set and the rest of the string, literal: for a set that cannot
        // expand, and for one the step budget runs out on. Once it is overdrawn,
        // every set still being expanded, at every level, stays literal like this -
        // otherwise each level above would go on combining, and wrapping and
        // expanding again, results the budget was too small for.
        const literal = () => combine(acc, pre + '{' + m.body + '}' + m.post, [''], max, maxLength, dropEmpties, budget);
        if (/\$$/.test(pre)) {
            acc = combine(acc, pre + '{' + m.body + '}', [''], max, maxLength, dropEmpties && !m.post.length, budget);
            firstGroup = false;
            if (!m.post.length)
                break;
            str = m.post;
            masked = masked.slice(m.end + 1);
            continue;
        }
        const isNumericSequence = /^-?\d+\.\.-?\d+(?:\.\.-?\d+)?$/.test(m.body);
        const isAlphaSequence = /^[a-zA-Z]\.\.[a-zA-Z](?:\.\.-?\d+)?$/.test(m.body);
        const isSequence = isNumericSequence || isAlphaSequence;
        const isOptions = m.body.indexOf(',') >= 0;
        if (!isSequence && !isOptions) {
            // {a},b}
            if (rewrites < maxRewrites && commaSetFollows(m.post, budget)) {
                rewrites++;
                str = m.pre + '{' + m.body + escClose + m.post;
                // Taking a `}` away never gives an unmatched `{` a partner, so what
                // is masked stays unmatched. The `{` it closed can be left without
                // one, and the next scan masks it.
                masked =
                    masked.slice(0, m.end) + escClose + masked.slice(m.end + 1);
                isTop = true;
                continue;
            }
            // Nothing here expands, so the whole remaining string is literal.
            return literal();
        }
        if (firstGroup) {
            dropEmpties = isTop && !isSequence;
            firstGroup = false;
        }
        let values;
        if (isSequence) {
            values = expandSequence(m.body, isAlphaSequence, max, maxLength, budget);
            if (!values) {
                return literal();
            }
        }
        else {
            let n = parseCommaParts(m.body, budget);
            // The step budget ran out partway through the set.
            if (!n) {
                return literal();
            }
            if (n.length === 1 && n[0] !== undefined) {
                // x{{a,b}}y ==> x{a}y x{b}y
                n = expand_(n[0], max, maxLength, maxDepth, depth + 1, maxRewrites, budget, false).map(embrace);
                // The step budget ran out expanding the set's only part.
                if (budget.remaining < 0) {
                    return literal();
                }
                //XXX is this necessary? Can't seem to hit it in tests.
                /* c8 ignore start */
                if (n.length === 1) {
                    const next = combine(acc, pre + n[0], [''], max, maxLength, dropEmpties && !m.post.length, budget);
                    if (budget.remaining < 0) {
                        return literal();
                    }
                    acc = next;
                    if (!m.post.length)
                        break;
                    str = m.post;
                    masked = masked.slice(m.end + 1);
                    continue;
                }
                /* c8 ignore stop */
            }
            // Values that `combine` is going to drop as empty produce no result, so
            // they must not count against `max` - otherwise `{a,,b}` with `max: 2`
            // would stop at `['a', '']` and yield one result instead of two. Skipping
            // them outright keeps `values` bounded while leaving `max` a bound on
            // *kept* results.
            let dropsEmpties = dropEmpties && !m.post.length && !pre;
            for (let d = 0; dropsEmpties && d < acc.length; d++) {
                if (acc[d]) {
                    dropsEmpties = false;
                }
            }
            values = [];
            let valuesLength = 0;
            outer: for (let j = 0; j < n.length; j++) {
                const expanded = expand_(n[j], max, maxLength, maxDepth, depth + 1, maxRewrites, budget, false);
                // The step budget ran out expanding a member.
                if (budget.remaining < 0) {
                    return literal();
                }
                for (let k = 0; k < expanded.length; k++) {
                    const v = expanded[k];
                    if (dropsEmpties && !v)
                        continue;
                    if (values.length >= max ||
                        valuesLength + v.length > maxLength) {
                        break outer;
                    }
                    values.push(v);
                    valuesLength += v.length;
                }
            }
        }
        const next = combine(acc, pre, values, max, maxLength, dropEmpties && !m.post.length, budget);
        // The step budget ran out combining the set's values in.
        if (budget.remaining < 0) {
            return literal();
        }
        acc = next;
        if (!m.post.length)
            break;
        str = m.post;
        masked = masked.slice(m.end + 1);
    }
    return acc;
}
//# sourceMappingURL=index.js.map
;// CONCATENATED MODULE: ./node_modules/@isaacs/nonrecursive-glob-match/dist/esm/numeric-range.js
// One digit, or a class of digits from a to b.
const digit = (a, b) => a === b ?
    { t: 'lit', ch: String(a) }
    : { t: 'class', re: new RegExp(`^[${a}-${b}]$`) };
const prefix = (d, alts) => alts.map(s => [digit(d, d), ...s]);
// The digit strings from a to b, which have the same length.
const fixed = (a, b) => {
    if (!a)
        return [[]];
    let lo = +a[0];
    let hi = +b[0];
    const ra = a.slice(1);
    const rb = b.slice(1);
    if (lo === hi)
        return prefix(lo, fixed(ra, rb));
    const zeros = '0'.repeat(ra.length);
    const nines = '9'.repeat(ra.length);
    const out = [];
    if (ra !== zeros)
        out.push(...prefix(lo++, fixed(ra, nines)));
    const last = rb === nines ? [] : prefix(hi--, fixed(zeros, rb));
    if (lo <= hi) {
        out.push([digit(lo, hi), ...Array.from(ra, () => digit(0, 9))]);
    }
    out.push(...last);
    return out;
};
// The numbers from a to b, where 0 <= a <= b. If width is set, each
// one has leading zeros to make it that many digits.
const nonneg = (a, b, width) => {
    if (width) {
        return fixed(String(a).padStart(width, '0'), String(b).padStart(width, '0'));
    }
    const out = [];
    for (let len = String(a).length; len <= String(b).length; len++) {
        const lo = Math.max(a, len === 1 ? 0 : 10 ** (len - 1));
        const hi = Math.min(b, 10 ** len - 1);
        out.push(...fixed(String(lo), String(hi)));
    }
    return out;
};
/**
 * The strings that the bash brace expansion `{lo..hi}` makes, as
 * the alternatives of an `@(...)` extglob. Each one is a sequence of
 * digits and digit classes, so there are only a few of them, even for
 * a large range.
 *
 * If either end has a leading zero, such as `{01..10}`, each number
 * has leading zeros to make it as long as the longer end, counting a
 * `-` sign. So `{-05..3}` makes `-05` to `-01`, then `000` to `003`.
 *
 * Returns undefined if either end is not a safe integer.
 */
const numericRange = (loStr, hiStr) => {
    let lo = Number(loStr);
    let hi = Number(hiStr);
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi))
        return;
    if (lo > hi)
        [lo, hi] = [hi, lo];
    const padded = /^-?0\d/.test(loStr) || /^-?0\d/.test(hiStr);
    const width = padded ? Math.max(loStr.length, hiStr.length) : 0;
    const out = [];
    if (lo < 0) {
        const neg = nonneg(Math.max(-hi, 1), -lo, width && width - 1);
        out.push(...neg.map(s => [{ t: 'lit', ch: '-' }, ...s]));
    }
    if (hi >= 0)
        out.push(...nonneg(Math.max(lo, 0), hi, width));
    return out;
};
//# sourceMappingURL=numeric-range.js.map
;// CONCATENATED MODULE: ./node_modules/@isaacs/nonrecursive-glob-match/dist/esm/parse-class.js
// translate the various posix character classes into unicode properties
// this works across all unicode locales
// { <posix class>: [<translation>, negated]
const posixClasses = {
    '[:alnum:]': ['\\p{L}\\p{Nl}\\p{Nd}'],
    '[:alpha:]': ['\\p{L}\\p{Nl}'],
    '[:ascii:]': ['\\x' + '00-\\x' + '7f'],
    '[:blank:]': ['\\p{Zs}\\t'],
    '[:cntrl:]': ['\\p{Cc}'],
    '[:digit:]': ['\\p{Nd}'],
    '[:graph:]': ['\\p{Z}\\p{C}', true],
    '[:lower:]': ['\\p{Ll}'],
    '[:print:]': ['\\p{C}', true],
    '[:punct:]': ['\\p{P}\\p{S}'],
    '[:space:]': ['\\p{Z}\\t\\r\\n\\v\\f'],
    '[:upper:]': ['\\p{Lu}'],
    '[:word:]': ['\\p{L}\\p{Nl}\\p{Nd}\\p{Pc}'],
    '[:xdigit:]': ['A-Fa-f0-9'],
};
// only need to escape a few things inside of brace expressions
// escapes: [ \ ] -
const braceEscape = (s) => s.replace(/[[\]\\-]/g, '\\$&');
const noMatch = /$./;
// Takes a glob string at a posix brace expression. Returns a RegExp
// that tests one character, and the number of glob chars consumed.
// If the class is not closed, consumed is 0, and the `[` must be
// treated as a literal character.
// Out of order ranges are removed. If nothing is left, the RegExp
// is `/$./`, and the rest of the glob is consumed, so that the
// whole glob cannot match.
const parseClass = (glob, position, nocase = false, form) => {
    // normalize one class member, if it stays one code point
    const norm = (c) => {
        const n = form ? c.normalize(form) : c;
        return [...n].length === 1 ? n : c;
    };
    const pos = position;
    /* c8 ignore start */
    if (glob.charAt(pos) !== '[') {
        throw new Error('not in a brace expression');
    }
    /* c8 ignore stop */
    const ranges = [];
    const negs = [];
    let i = pos + 1;
    let sawStart = false;
    let escaping = false;
    let negate = false;
    let endPos = pos;
    let rangeStart = '';
    WHILE: while (i < glob.length) {
        const c = String.fromCodePoint(glob.codePointAt(i));
        if ((c === '!' || c === '^') && i === pos + 1) {
            negate = true;
            i++;
            continue;
        }
        if (c === ']' && sawStart && !escaping) {
            endPos = i + 1;
            break;
        }
        sawStart = true;
        if (c === '\\') {
            if (!escaping) {
                escaping = true;
                i++;
                continue;
            }
            // escaped \ char, fall through and treat like normal char
        }
        if (c === '[' && !escaping) {
            // either a posix class, a collation equivalent, or just a [
            for (const [cls, [unip, neg]] of Object.entries(posixClasses)) {
                if (glob.startsWith(cls, i)) {
                    // invalid, [a-[] is fine, but not [a-[:alpha]]
                    if (rangeStart) {
                        return [noMatch, glob.length - pos];
                    }
                    i += cls.length;
                    if (neg)
                        negs.push(unip);
                    else
                        ranges.push(unip);
                    continue WHILE;
                }
            }
        }
        // now it's just a normal character, effectively
        escaping = false;
        const n = norm(c);
        if (rangeStart) {
            // throw this range away if it's not valid, but others
            // can still match.
            if (n.codePointAt(0) > rangeStart.codePointAt(0)) {
                ranges.push(braceEscape(rangeStart) + '-' + braceEscape(n));
            }
            else if (n === rangeStart) {
                ranges.push(braceEscape(n));
            }
            rangeStart = '';
            i += c.length;
            continue;
        }
        // now might be the start of a range.
        // can be either c-d or c-] or c<more...>] or c] at this point
        if (glob.startsWith('-]', i + c.length)) {
            ranges.push(braceEscape(n + '-'));
            i += c.length + 1;
            continue;
        }
        if (glob.startsWith('-', i + c.length)) {
            rangeStart = n;
            i += c.length + 1;
            continue;
        }
        // not the start of a range, just a single character
        ranges.push(braceEscape(n));
        i += c.length;
    }
    if (endPos < i) {
        // didn't see the end of the class, not a valid class,
        // but might still be valid as a literal match.
        return [noMatch, 0];
    }
    // if we got no ranges and no negates, then we have a range that
    // cannot possibly match anything, and that poisons the whole glob
    if (!ranges.length && !negs.length) {
        return [noMatch, glob.length - pos];
    }
    const sranges = '[' + (negate ? '^' : '') + ranges.join('') + ']';
    const snegs = '[' + (negate ? '' : '^') + negs.join('') + ']';
    const comb = '^' +
        (ranges.length && negs.length ? '(' + sranges + '|' + snegs + ')'
            : ranges.length ? sranges
                : snegs);
    return [new RegExp(comb, nocase ? 'iu' : 'u'), endPos - pos];
};
//# sourceMappingURL=parse-class.js.map
;// CONCATENATED MODULE: ./node_modules/@isaacs/nonrecursive-glob-match/dist/esm/index.js


// the end of the pattern, or of a negated sub-pattern
const MATCH = { t: 'match', id: 0 };
const extTypes = '!?+*@';
const lit = (ch) => ({ t: 'lit', ch });
const reEscape = (s) => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
// a RegExp that only matches `s`, with unicode case folding
const newFoldRe = (s) => new RegExp(`^${reEscape(s)}$`, 'iu');
// foldRe for one literal char. The same chars are in most patterns,
// so keep them. A RegExp without the `g` or `y` flag has no state to
// share.
const foldCache = new Map();
const foldRe = (ch) => {
    let re = foldCache.get(ch);
    if (!re) {
        re = newFoldRe(ch);
        if (foldCache.size >= 1000)
            foldCache.clear();
        foldCache.set(ch, re);
    }
    return re;
};
const litMatch = (l, c) => {
    if (c === l.ch)
        return true;
    if (!l.re)
        return false;
    const code = c.charCodeAt(0);
    if (code >= 128)
        return l.re.test(c);
    const ascii = (l.ascii ??= new Uint8Array(128));
    ascii[code] ||= l.re.test(c) ? 1 : 2;
    return ascii[code] === 1;
};
const esm_tokenize = (p, nocase, noext, form, mark) => {
    const toks = [];
    for (let i = 0; i < p.length;) {
        const c = String.fromCodePoint(p.codePointAt(i));
        if (mark) {
            // a \ before a range would only escape its first char
            const m = c === '\\' && p.startsWith(mark, i + 1) ? 1 : 0;
            if (m || c === mark) {
                const start = i + m + mark.length;
                const end = p.indexOf(mark, start);
                const r = /^(-?\d+)\.\.(-?\d+)$/.exec(p.slice(start, end));
                const alts = end !== -1 && r && numericRange(r[1], r[2]);
                if (alts) {
                    toks.push({ t: 'ext', type: '@', alts });
                    i = end + mark.length;
                    continue;
                }
            }
        }
        if (c === '\\') {
            // a trailing \ is a literal \
            const e = p.codePointAt(i + 1);
            const ch = e === undefined ? c : String.fromCodePoint(e);
            toks.push(lit(ch));
            i += 1 + ch.length;
            continue;
        }
        if (c === '[') {
            const [re, consumed] = parseClass(p, i, nocase, form);
            if (consumed) {
                toks.push({ t: 'class', re });
                i += consumed;
                continue;
            }
        }
        if (!noext && extTypes.includes(c) && p[i + 1] === '(') {
            toks.push({ t: 'open', type: c });
            i += 2;
            continue;
        }
        toks.push(!noext && c === '|' ? { t: 'bar' }
            : !noext && c === ')' ? { t: 'close' }
                : c === '*' ? { t: 'star' }
                    : c === '?' ? { t: 'any' }
                        : lit(c));
        i += c.length;
    }
    return toks;
};
// map each open token index to the index of its close token
const pair = (toks) => {
    const pairs = new Map();
    const stack = [];
    toks.forEach((tok, i) => {
        if (tok.t === 'open')
            stack.push(i);
        else if (tok.t === 'close' && stack.length)
            pairs.set(stack.pop(), i);
    });
    return pairs;
};
// build the alternatives between start and end. An open token that
// is not closed is never inside a closed extglob, so bar and close
// tokens are only literal at the top level.
const build = (toks, pairs, start, end, top) => {
    let seq = [];
    const alts = [seq];
    for (let i = start; i < end; i++) {
        const tok = toks[i];
        const close = pairs.get(i);
        if (tok.t === 'open' && close !== undefined) {
            const sub = build(toks, pairs, i + 1, close, false);
            seq.push({ t: 'ext', type: tok.type, alts: sub });
            i = close;
        }
        else if (tok.t === 'bar' && !top) {
            alts.push((seq = []));
        }
        else if (tok.t === 'open') {
            seq.push(lit(tok.type), lit('('));
        }
        else if (tok.t === 'bar') {
            seq.push(lit('|'));
        }
        else if (tok.t === 'close') {
            seq.push(lit(')'));
        }
        else {
            seq.push(tok);
        }
    }
    return alts;
};
// normalize each run of literal chars as one string, so that a char
// and the combining marks after it compose (or decompose) together.
// Syntax is already parsed, so a char that normalizes to a syntax
// char (such as full-width `＊` in NFKC) stays a literal.
const normalize = (items, form) => {
    const out = [];
    let run = '';
    const flush = () => {
        for (const ch of run.normalize(form))
            out.push(lit(ch));
        run = '';
    };
    for (const it of items) {
        if (it.t === 'lit') {
            run += it.ch;
            continue;
        }
        flush();
        out.push(it.t === 'ext' ?
            { ...it, alts: it.alts.map(a => normalize(a, form)) }
            : it);
    }
    flush();
    return out;
};
// the start node, and the number of node ids. Ids are dense, from 0
// for the match node.
const compile = (items, nocase) => {
    let id = 1;
    const split = (out) => ({ t: 'split', id: id++, out });
    const seq = (items, next) => items.reduceRight((next, it) => item(it, next), next);
    const item = (it, next) => {
        switch (it.t) {
            case 'lit':
                const re = nocase ? foldRe(it.ch) : undefined;
                return { t: 'lit', id: id++, ch: it.ch, re, next };
            case 'any':
            case 'star':
                return { t: it.t, id: id++, next };
            case 'class':
                return { t: 'class', id: id++, re: it.re, next };
        }
        const alts = (next) => it.alts.map(a => seq(a, next));
        switch (it.type) {
            case '@':
                return split(alts(next));
            case '?':
                return split([next, ...alts(next)]);
            case '!':
                return { t: 'neg', id: id++, sub: split(alts(MATCH)), next };
        }
        // * and +, loop back after each match
        const after = split([]);
        const entry = split(alts(after));
        after.out.push(next, entry);
        return it.type === '*' ? after : entry;
    };
    const start = seq(items, MATCH);
    return [start, id];
};
// one line per node, in the order that a walk from the start
// reaches them. Edges point to node ids. The nodes of a negated
// sub-pattern are indented under their negation.
const show = (start) => {
    const lines = [];
    const seen = new Set();
    const ref = (n) => (n.t === 'match' ? 'match' : String(n.id));
    const walk = (n, indent) => {
        if (n.t === 'match' || seen.has(n))
            return;
        seen.add(n);
        const line = (desc) => lines.push(`${indent}${n.id}: ${desc}`);
        switch (n.t) {
            case 'split':
                line(`split -> ${n.out.map(ref).join(', ')}`);
                for (const o of n.out)
                    walk(o, indent);
                return;
            case 'neg':
                line(`!(${ref(n.sub)}) -> ${ref(n.next)}`);
                walk(n.sub, indent + '  ');
                return walk(n.next, indent);
            case 'lit':
                line(`${JSON.stringify(n.ch)} -> ${ref(n.next)}`);
                break;
            case 'class':
                line(`${n.re} -> ${ref(n.next)}`);
                break;
            default:
                line(`${n.t === 'any' ? '?' : '*'} -> ${ref(n.next)}`);
        }
        walk(n.next, indent);
    };
    walk(start, '');
    return [`start -> ${ref(start)}`, ...lines].join('\n');
};
// The threads at one position in the string. Each node thread is
// only kept once, and runs with the same state are only kept once,
// so that identical threads merge. The match node is not in
// `threads`, because it can not step. It sets `match` instead.
class State {
    // set by the Sim, to mark the nodes that this state has
    gen;
    threads = [];
    match = false;
    runs = [];
    // the sorted ids of the threads, with 0 for a match, once the
    // state is done
    ids = [];
    constructor(gen) {
        this.gen = gen;
    }
    // no threads, so nothing more can match
    get dead() {
        return !this.threads.length && !this.match && !this.runs.length;
    }
}
// true if the two states hold the same threads
const sameState = (a, b) => {
    if (a.ids.length !== b.ids.length)
        return false;
    if (a.runs.length !== b.runs.length)
        return false;
    if (a.ids.some((id, i) => id !== b.ids[i]))
        return false;
    return a.runs.every(r => b.runs.some(o => o.neg === r.neg && sameState(o.state, r.state)));
};
const marks = (size) => ({
    has: new Float64Array(size),
    seen: new Float64Array(size),
    gen: 0,
});
class Sim {
    // `.` and `..` only match literal dots, even with `dot:true`
    dots;
    // the string starts with `.`, and `dot:true` is not set
    dotStart;
    #marks;
    constructor(dots, dotStart, marks) {
        this.dots = dots;
        this.dotStart = dotStart;
        this.#marks = marks;
    }
    state() {
        return new State(++this.#marks.gen);
    }
    // sort the ids of a state, once it has all of its threads
    done(state) {
        state.ids = state.threads.map(n => n.id).sort((a, b) => a - b);
        if (state.match)
            state.ids.unshift(MATCH.id);
        return state;
    }
    // true the first time that the state walks through the node, so
    // that loops in the graph stop
    #visit(state, node) {
        const { seen } = this.#marks;
        if (seen[node.id] === state.gen)
            return false;
        seen[node.id] = state.gen;
        return true;
    }
    #addThread(state, node) {
        const { has } = this.#marks;
        if (has[node.id] === state.gen)
            return false;
        has[node.id] = state.gen;
        state.threads.push(node);
        return true;
    }
    // wildcards only match a leading dot if `dot:true`. In a negated
    // sub-pattern, this does not apply, because the negation itself
    // can not match a leading dot.
    restricted(i, top) {
        return top && (this.dots || (this.dotStart && i === 0));
    }
    add(state, node, i, top) {
        switch (node.t) {
            case 'split':
                if (!this.#visit(state, node))
                    return;
                for (const o of node.out)
                    this.add(state, o, i, top);
                return;
            case 'neg':
                if (!this.#visit(state, node))
                    return;
                const sub = this.state();
                this.add(sub, node.sub, i, false);
                this.done(sub);
                return this.addRun(state, { t: 'run', neg: node, state: sub }, i, top);
            case 'star':
                // a * can not start a dotfile, even if it matches nothing
                if (this.restricted(i, top))
                    return;
                if (this.#addThread(state, node))
                    this.add(state, node.next, i, top);
                return;
            case 'match':
                state.match = true;
                return;
            default:
                this.#addThread(state, node);
        }
    }
    addRun(state, run, i, top) {
        for (const r of state.runs) {
            if (r.neg === run.neg && sameState(r.state, run.state))
                return;
        }
        state.runs.push(run);
        if (!run.state.match) {
            this.add(state, run.neg.next, i, top);
        }
    }
    // the threads after char `c`, at index `i`
    step(state, c, i, top) {
        const next = this.state();
        for (const th of state.threads) {
            switch (th.t) {
                case 'lit':
                    if (litMatch(th, c)) {
                        this.add(next, th.next, i + 1, top);
                    }
                    break;
                case 'any':
                    if (!this.restricted(i, top))
                        this.add(next, th.next, i + 1, top);
                    break;
                case 'class':
                    if (!this.restricted(i, top) && th.re.test(c)) {
                        this.add(next, th.next, i + 1, top);
                    }
                    break;
                case 'star':
                    if (!this.restricted(i, top))
                        this.add(next, th, i + 1, top);
            }
        }
        if (!this.restricted(i, top)) {
            for (const run of state.runs) {
                // a sub-pattern with no threads can not match again, so the
                // run stays the same
                if (run.state.dead) {
                    this.addRun(next, run, i + 1, top);
                    continue;
                }
                const sub = this.step(run.state, c, i, false);
                this.addRun(next, { t: 'run', neg: run.neg, state: sub }, i + 1, top);
            }
        }
        return this.done(next);
    }
}
// A canonical key for the threads in a state. States with the same
// key hold the same threads, so they match the same strings.
const stateKey = (state) => {
    const ids = state.ids.join();
    if (!state.runs.length)
        return ids;
    const runs = state.runs.map(r => `${r.neg.id}(${stateKey(r.state)})`);
    return `${ids}|${runs.sort().join('|')}`;
};
// The cache can hold about this many chars of state keys and
// transitions. When it is full, it is cleared, so that a pattern
// can not use an unbounded amount of memory.
const DFA_BUDGET = 1 << 18;
// A cache of the states that the simulation reaches, built as the
// matcher is used. Each char of a string is then one Map lookup,
// once the states that it leads to are known.
//
// The dot rules only restrict the first char of a dotfile (strings
// that are only `.` or `..` do not use the cache). So a dotfile
// starts at its own state, which takes its first step with the
// restriction, and every other state takes steps without it.
class Dfa {
    #start;
    #states = new Map();
    #size = 0;
    #plain;
    #dotStart;
    #sim;
    #dotSim;
    constructor(start, marks) {
        this.#start = start;
        this.#sim = new Sim(false, false, marks);
        this.#dotSim = new Sim(false, true, marks);
    }
    #make(state) {
        return {
            state,
            match: state.match,
            dead: state.dead,
            next: new Map(),
        };
    }
    #intern(state) {
        const key = stateKey(state);
        const found = this.#states.get(key);
        if (found)
            return found;
        if (this.#size > DFA_BUDGET)
            this.#clear();
        const d = this.#make(state);
        this.#states.set(key, d);
        this.#size += key.length + 1;
        return d;
    }
    #clear() {
        this.#states.clear();
        this.#size = 0;
        this.#plain = undefined;
        this.#dotStart = undefined;
    }
    start(dotStart) {
        if (dotStart) {
            if (this.#dotStart)
                return this.#dotStart;
            const state = this.#dotSim.state();
            this.#dotSim.add(state, this.#start, 0, true);
            return (this.#dotStart = this.#make(this.#dotSim.done(state)));
        }
        if (this.#plain)
            return this.#plain;
        const state = this.#sim.state();
        this.#sim.add(state, this.#start, 0, true);
        return (this.#plain = this.#intern(this.#sim.done(state)));
    }
    // the next state, after a miss in `d.ascii`
    next(d, c) {
        const code = c.charCodeAt(0);
        const found = code < 128 ? undefined : d.next.get(c);
        if (found)
            return found;
        // the dotfile start is not in the cache, so it is never shared
        const n = d === this.#dotStart ?
            this.#intern(this.#dotSim.step(d.state, c, 0, true))
            : this.#intern(this.#sim.step(d.state, c, 1, true));
        if (code < 128) {
            if (!d.ascii) {
                d.ascii = new Array(128);
                this.#size += 128;
            }
            d.ascii[code] = n;
        }
        else {
            d.next.set(c, n);
        }
        this.#size++;
        return n;
    }
}
// the nodes in order, if the graph is a single chain
const linear = (start) => {
    const nodes = [];
    for (let n = start; n.t !== 'match'; n = n.next) {
        if (n.t === 'split' || n.t === 'neg')
            return undefined;
        nodes.push(n);
    }
    return nodes;
};
// Match a chain of nodes. Each node other than `*` matches exactly
// one char, so on a failure it is enough to go back to the last `*`
// and let it match one more char. This takes at most
// nodes.length * chars.length steps.
const testLinear = (nodes, chars, start, end) => {
    let ni = 0;
    let ci = start;
    let starNi = -1;
    let starCi = 0;
    while (ci < end) {
        const n = nodes[ni];
        if (n?.t === 'star') {
            starNi = ni++;
            starCi = ci;
            continue;
        }
        const c = chars[ci];
        if (n &&
            (n.t === 'any' ||
                (n.t === 'lit' && litMatch(n, c)) ||
                (n.t === 'class' && n.re.test(c)))) {
            ni++;
            ci++;
            continue;
        }
        if (starNi === -1)
            return false;
        ni = starNi + 1;
        ci = ++starCi;
    }
    while (nodes[ni]?.t === 'star')
        ni++;
    return ni === nodes.length;
};
// The least and most chars that the items can match. These are only
// bounds: a negation can match a string of any length, so it counts
// as 0 to Infinity.
const lengths = (items) => {
    let min = 0;
    let max = 0;
    for (const it of items) {
        const [lo, hi] = itemLengths(it);
        min += lo;
        max += hi;
    }
    return [min, max];
};
const itemLengths = (it) => {
    if (it.t === 'star')
        return [0, Infinity];
    if (it.t !== 'ext')
        return [1, 1];
    if (it.type === '!')
        return [0, Infinity];
    const alts = it.alts.map(lengths);
    const min = Math.min(...alts.map(a => a[0]));
    const max = Math.max(...alts.map(a => a[1]));
    // a loop of alternatives that only match the empty string is empty
    const loop = max === 0 ? 0 : Infinity;
    return (it.type === '@' ? [min, max]
        : it.type === '?' ? [0, max]
            : it.type === '*' ? [0, loop]
                : [min, loop]);
};
// true if the chars from `start` match the literals
const hasAffix = (lits, chars, start) => {
    for (let j = 0; j < lits.length; j++) {
        if (!litMatch(lits[j], chars[start + j]))
            return false;
    }
    return true;
};
// a `/`, or half of a surrogate pair
const slashOrSurrogate = /[/\ud800-\udfff]/;
const surrogate = /[\ud800-\udfff]/;
// a string can be indexed by code point, unless it has surrogate
// pairs
const codePoints = (s) => surrogate.test(s) ? [...s] : s;
const noSlash = (s) => {
    if (s.includes('/')) {
        throw new Error('can only match a single path portion, got: ' + s);
    }
};
class Matcher {
    pattern;
    options;
    #start;
    // the number of node ids
    #size;
    #marks;
    // the Sim for strings that are only `.` or `..`
    #dotsSim;
    // the string to compare, if the pattern has no magic. With
    // `nocase:true`, the RegExp that folds case is made when it is
    // first used.
    #literal;
    #literalFold = false;
    #literalRe;
    // the nodes between the prefix and suffix, if the graph is a
    // single chain
    #linear;
    // the linear nodes are only `*` and `?`, so the length bounds and
    // the prefix and suffix decide the match
    #wild = false;
    // the least and most chars that a match can have
    #min = 0;
    #max = Infinity;
    // the literals that a match must start and end with. Each one
    // matches exactly one char, and they are distinct items in the
    // pattern, so a string that does not have them can not match.
    #prefix = [];
    #suffix = [];
    // the prefix and suffix as strings, if they do not fold case
    #prefixStr;
    #suffixStr;
    // there is a prefix or suffix to check
    #affix = false;
    #dfa;
    #form;
    constructor(pattern, options = {}) {
        if (pattern.includes('/')) {
            throw new Error('can only match a single path portion, got pattern: ' + pattern);
        }
        this.pattern = pattern;
        this.options = options;
        const { nocase = false, noext = false, normalize: n } = options;
        this.#form = n === true ? 'NFC' : n || undefined;
        // a pattern that is only an empty extglob is a literal string,
        // except for `!()`, which matches any non-empty string
        const literal = /^[?*+@]\(\)$/.test(pattern);
        const toks = esm_tokenize(pattern, nocase, noext || literal, this.#form, options.rangeMark);
        let [items] = build(toks, pair(toks), 0, toks.length, true);
        if (this.#form)
            items = normalize(items, this.#form);
        const [start, size] = compile(items, nocase);
        this.#start = start;
        this.#size = size;
        if (items.every(it => it.t === 'lit')) {
            this.#literal = items.map(it => it.ch).join('');
            this.#literalFold = nocase;
        }
        else {
            const lit = (it) => it.t !== 'lit' ? undefined
                : nocase ? { ch: it.ch, re: foldRe(it.ch) }
                    : { ch: it.ch };
            for (const it of items) {
                const l = lit(it);
                if (!l)
                    break;
                this.#prefix.push(l);
            }
            for (let j = items.length - 1; j >= 0; j--) {
                const l = lit(items[j]);
                if (!l)
                    break;
                this.#suffix.unshift(l);
            }
            this.#affix = !!(this.#prefix.length || this.#suffix.length);
            if (!nocase) {
                this.#prefixStr = this.#prefix.map(l => l.ch).join('');
                this.#suffixStr = this.#suffix.map(l => l.ch).join('');
            }
            this.#linear = linear(this.#start)?.slice(this.#prefix.length, -this.#suffix.length || undefined);
            this.#wild = !!this.#linear?.every(n => n.t === 'star' || n.t === 'any');
            const [min, max] = lengths(items);
            this.#min = min;
            this.#max = max;
        }
    }
    test(s) {
        // The `/` check uses the string as given, so with normalization it
        // is a separate step. Otherwise, one scan finds both a `/` and the
        // surrogate pairs that stop the string being indexed by code point.
        if (this.#form) {
            noSlash(s);
            return this.#test(s.normalize(this.#form));
        }
        if (slashOrSurrogate.test(s)) {
            noSlash(s);
            return this.#test(s, [...s]);
        }
        return this.#test(s, s);
    }
    /**
     * The same as {@link Matcher#test}, but the string is not checked
     * for `/` chars, so the result for a string that has one is not
     * defined. Only use it for a string that is known to be one path
     * portion, such as a part of a path that was split on `/`. It can
     * be faster, because some patterns do not need to look at each char
     * of the string.
     */
    testUnchecked(s) {
        return this.#test(this.#form ? s.normalize(this.#form) : s);
    }
    // Test a string that has no `/`. `chars` indexes it by code point.
    // If it is not given, it is only found if a step needs it.
    #test(s, chars) {
        if (this.#literal !== undefined) {
            return this.#literalFold ?
                (this.#literalRe ??= newFoldRe(this.#literal)).test(s)
                : s === this.#literal;
        }
        // the length check means that the prefix and suffix do not
        // overlap. Without the chars, the length in code points is from
        // half of the UTF-16 length (if each one is a surrogate pair) to
        // all of it, which is often enough to know.
        const min = this.#min;
        const max = this.#max;
        if (chars === undefined) {
            const most = s.length;
            const least = (most + 1) >> 1;
            if (most < min || least > max)
                return false;
            if (least < min || most > max)
                chars = codePoints(s);
        }
        if (chars !== undefined &&
            (chars.length < min || chars.length > max)) {
            return false;
        }
        const prefix = this.#prefix.length;
        if (this.#affix) {
            if (this.#prefixStr !== undefined && this.#suffixStr !== undefined) {
                if (!s.startsWith(this.#prefixStr) ||
                    !s.endsWith(this.#suffixStr)) {
                    return false;
                }
            }
            else {
                chars ??= codePoints(s);
                const end = chars.length - this.#suffix.length;
                if (!hasAffix(this.#prefix, chars, 0) ||
                    !hasAffix(this.#suffix, chars, end)) {
                    return false;
                }
            }
        }
        const dotStart = !this.options.dot && s.startsWith('.');
        if (this.#linear) {
            // `.` and `..` only match literal dots, even with `dot:true`
            if (s === '.' || s === '..')
                return false;
            // only a literal can match the leading dot. A `*` can not
            // start a dotfile, even if it matches nothing.
            if (dotStart && !prefix)
                return false;
            if (this.#wild)
                return true;
            chars ??= codePoints(s);
            const end = chars.length - this.#suffix.length;
            return testLinear(this.#linear, chars, prefix, end);
        }
        chars ??= codePoints(s);
        if (s === '.' || s === '..') {
            this.#marks ??= marks(this.#size);
            const sim = (this.#dotsSim ??= new Sim(true, false, this.#marks));
            const start = sim.state();
            sim.add(start, this.#start, 0, true);
            let state = sim.done(start);
            for (let i = 0; i < chars.length; i++) {
                state = sim.step(state, chars[i], i, true);
            }
            return state.match;
        }
        this.#marks ??= marks(this.#size);
        const dfa = (this.#dfa ??= new Dfa(this.#start, this.#marks));
        let d = dfa.start(dotStart);
        // read char codes from the string, so that a one-char string is
        // only made for a cache miss
        const str = chars === s;
        for (let i = 0; i < chars.length; i++) {
            if (d.dead)
                return false;
            const code = str ? s.charCodeAt(i) : chars[i].charCodeAt(0);
            d = d.ascii?.[code] ?? dfa.next(d, chars[i]);
        }
        return d.match;
    }
    /** a readable listing of the state machine */
    toString() {
        return show(this.#start);
    }
}
//# sourceMappingURL=index.js.map
;// CONCATENATED MODULE: ./node_modules/minimatch/dist/esm/assert-valid-pattern.js
const MAX_PATTERN_LENGTH = 1024 * 64;
const assertValidPattern = (pattern) => {
    if (typeof pattern !== 'string') {
        throw new TypeError('invalid pattern');
    }
    if (pattern.length > MAX_PATTERN_LENGTH) {
        throw new TypeError('pattern is too long');
    }
};
//# sourceMappingURL=assert-valid-pattern.js.map
;// CONCATENATED MODULE: ./node_modules/minimatch/dist/esm/escape.js
/**
 * Escape all magic characters in a glob pattern.
 *
 * If the {@link MinimatchOptions.windowsPathsNoEscape}
 * option is used, then characters are escaped by wrapping in `[]`, because
 * a magic character wrapped in a character class can only be satisfied by
 * that exact character.  In this mode, `\` is _not_ escaped, because it is
 * not interpreted as a magic character, but instead as a path separator.
 *
 * If the {@link MinimatchOptions.magicalBraces} option is used,
 * then braces (`{` and `}`) will be escaped.
 *
 * A leading `#` or `!` is escaped as well, so that the result is never a
 * comment or a negated pattern. In `windowsPathsNoEscape` mode, a leading
 * `!` is written as `@(!)`, because `[!` starts a negated class.
 */
const escape_escape = (s, { windowsPathsNoEscape = false, magicalBraces = false, } = {}) => {
    // don't need to escape +@! because we escape the parens
    // that make those magic, and escaping ! as [!] isn't valid,
    // because [!]] is a valid glob class meaning not ']'.
    // However, at the start of the pattern, '!' negates the pattern and
    // '#' makes it a comment, so the first character is handled below.
    const e = magicalBraces ?
        windowsPathsNoEscape ? s.replace(/[?*()[\]{}]/g, '[$&]')
            : s.replace(/[?*()[\]\\{}]/g, '\\$&')
        : windowsPathsNoEscape ? s.replace(/[?*()[\]]/g, '[$&]')
            : s.replace(/[?*()[\]\\]/g, '\\$&');
    const c = e.charAt(0);
    if (c === '#') {
        return (windowsPathsNoEscape ? '[#]' : '\\#') + e.slice(1);
    }
    if (c === '!') {
        // '[!]' can not be used, because '[!' starts a negated class, and
        // '\' is a path separator in windowsPathsNoEscape mode. '@(!)'
        // matches only '!'. If extglobs are disabled with `noext`, it
        // matches nothing, rather than everything.
        return (windowsPathsNoEscape ? '@(!)' : '\\!') + e.slice(1);
    }
    return e;
};
//# sourceMappingURL=escape.js.map
;// CONCATENATED MODULE: ./node_modules/minimatch/dist/esm/unescape.js
/**
 * Un-escape a string that has been escaped with {@link escape}.
 *
 * If the {@link MinimatchOptions.windowsPathsNoEscape} option is used, then
 * square-bracket escapes are removed, but not backslash escapes.
 *
 * For example, it will turn the string `'[*]'` into `*`, but it will not
 * turn `'\\*'` into `'*'`, because `\` is a path separator in
 * `windowsPathsNoEscape` mode.
 *
 * When `windowsPathsNoEscape` is not set, then both square-bracket escapes and
 * backslash escapes are removed.
 *
 * Slashes (and backslashes in `windowsPathsNoEscape` mode) cannot be escaped
 * or unescaped.
 *
 * When `magicalBraces` is not set, escapes of braces (`{` and `}`) will not be
 * unescaped.
 */
const unescape_unescape = (s, { windowsPathsNoEscape = false, magicalBraces = true, } = {}) => {
    // escape() writes a leading '!' as '@(!)' in windowsPathsNoEscape mode
    if (windowsPathsNoEscape && s.startsWith('@(!)')) {
        return ('!' + unescape_unescape(s.slice(4), { windowsPathsNoEscape, magicalBraces }));
    }
    if (magicalBraces) {
        return windowsPathsNoEscape ?
            s.replace(/\[([^/\\])\]/g, '$1')
            : s
                .replace(/((?!\\).|^)\[([^/\\])\]/g, '$1$2')
                .replace(/\\([^/])/g, '$1');
    }
    return windowsPathsNoEscape ?
        s.replace(/\[([^/\\{}])\]/g, '$1')
        : s
            .replace(/((?!\\).|^)\[([^/\\{}])\]/g, '$1$2')
            .replace(/\\([^/{}])/g, '$1');
};
//# sourceMappingURL=unescape.js.map
;// CONCATENATED MODULE: ./node_modules/minimatch/dist/esm/index.js





const DEFAULT_BRACE_EXPAND_MAX = 100_000;
const DEFAULT_GLOB_STAR_RECURSION_MAX = 200;
// avoid the annoying deprecation flag lol
const AWE_KEY = ('allowWindow' + 'sEscape');
const minimatch = (p, pattern, options) => {
    assertValidPattern(pattern);
    // shortcut: comments match nothing.
    if (!options?.nocomment && pattern.charAt(0) === '#') {
        return false;
    }
    return cachedMinimatch(pattern, options).match(p);
};
// The Minimatch objects that minimatch() used most recently, by options
// and then by pattern. When the cache is full, it becomes the old one,
// and the objects used from the old one are moved back to a new one.
// So it keeps 256 to 512 objects.
// The patterns can come from users, so the cache is also bounded by
// the total weight of the objects (see cacheWeight()), and an object
// that is too heavy is never kept. Otherwise a few unique patterns
// with large brace expansions would fill the heap.
let cache = new Map();
let oldCache = new Map();
let cacheSize = 0;
let cacheTotalWeight = 0;
const cacheMax = 256;
const cacheMaxWeight = 1 << 15;
const cacheMaxEntryWeight = 1 << 12;
// About the memory that a compiled object keeps: the pattern and the
// expanded patterns, of which each row in set is made.
const cacheWeight = (mm) => {
    let w = mm.pattern.length;
    for (const s of mm.globSet) {
        w += s.length + 1;
        if (w > cacheMaxEntryWeight)
            break;
    }
    return w;
};
// tsc fails here if a new option is in neither type. Add it to
// optionsKey() too.
const allOptionsKeyed = true;
void allOptionsKeyed;
// 0, 1 or 2 for undefined, falsy or truthy.
const tri = (v) => v === undefined ? 0
    : v ? 2
        : 1;
// The weight of each boolean option's base-3 digit in the key. The
// weights below 24 are for optimizationLevel (1), platform (3) and
// windowsPathsNoEscape (12). tsc fails here if a boolean option is
// not in the list.
const booleanWeights = new Map(Object.keys({
    nobrace: 0,
    nocomment: 0,
    nonegate: 0,
    noglobstar: 0,
    noext: 0,
    nonull: 0,
    partial: 0,
    dot: 0,
    nocase: 0,
    nocaseMagicOnly: 0,
    magicalBraces: 0,
    matchBase: 0,
    flipNegate: 0,
    preserveMultipleSlashes: 0,
    windowsNoMagicRoot: 0,
}).map((k, i) => [k, 24 * 3 ** i]));
// The cache key for a set of options. It is a number, unless an
// option is set to a value that the number can not show, such as
// normalize or an uncommon platform. Then it is a JSON string.
// The defaults give 0, the same key as no options.
// It only reads the keys that are set, so that the speed does not
// depend on the shape of the options object.
const optionsKey = (o) => {
    let n = 0;
    let wpe = false;
    // inherited keys too, because Minimatch reads them
    // oxlint-disable-next-line guard-for-in
    for (const k in o) {
        const v = o[k];
        switch (k) {
            // the same test as the Minimatch constructor
            case 'windowsPathsNoEscape':
                if (v)
                    wpe = true;
                break;
            case AWE_KEY:
                if (v === false)
                    wpe = true;
                break;
            case 'platform': {
                // the same test as the Minimatch constructor
                const p = v || defaultPlatform;
                if (p === defaultPlatform)
                    break;
                if (p === 'darwin')
                    n += 3;
                else if (p === 'win32')
                    n += 6;
                else if (p === 'linux')
                    n += 9;
                else
                    return JSON.stringify(o);
                break;
            }
            case 'optimizationLevel':
                // The same tests as Minimatch: 1 when undefined, then >= 2,
                // >= 1, or else 0. The default level 1 adds 0.
                if (v === undefined)
                    break;
                n +=
                    v >= 2 ? 1
                        : v >= 1 ? 0
                            : 2;
                break;
            case 'braceExpandMax':
                if (v !== undefined && v !== DEFAULT_BRACE_EXPAND_MAX) {
                    return JSON.stringify(o);
                }
                break;
            case 'maxGlobstarRecursion':
                if (v !== undefined && v !== DEFAULT_GLOB_STAR_RECURSION_MAX) {
                    return JSON.stringify(o);
                }
                break;
            case 'normalize':
                if (v !== undefined)
                    return JSON.stringify(o);
                break;
            default:
                // unknown keys have no weight
                n += (booleanWeights.get(k) ?? 0) * tri(v);
        }
    }
    return wpe ? n + 12 : n;
};
// A copy, so a later change to the options can not change it. Unlike
// a spread, it keeps the inherited keys, which optionsKey() and the
// Minimatch constructor also read.
const copyOptions = (o) => {
    const copy = {};
    // oxlint-disable-next-line guard-for-in
    for (const k in o)
        copy[k] = o[k];
    return copy;
};
const cachedMinimatch = (pattern, options) => {
    const key = options ? optionsKey(options) : 0;
    let mm = cache.get(key)?.get(pattern);
    if (mm)
        return mm;
    mm =
        oldCache.get(key)?.get(pattern) ??
            new Minimatch(pattern, copyOptions(options));
    const weight = cacheWeight(mm);
    // too big to keep, so it is compiled again each time
    if (weight > cacheMaxEntryWeight)
        return mm;
    if (cacheSize >= cacheMax ||
        cacheTotalWeight + weight > cacheMaxWeight) {
        oldCache = cache;
        cache = new Map();
        cacheSize = 0;
        cacheTotalWeight = 0;
    }
    let byPattern = cache.get(key);
    if (!byPattern)
        cache.set(key, (byPattern = new Map()));
    byPattern.set(pattern, mm);
    cacheSize++;
    cacheTotalWeight += weight;
    return mm;
};
/* c8 ignore start */
const defaultPlatform = (typeof process === 'object' && process ?
    process.env?.__MINIMATCH_TESTING_PLATFORM__ || process.platform
    : 'posix');
const path = {
    win32: { sep: '\\' },
    posix: { sep: '/' },
};
/* c8 ignore stop */
const sep = defaultPlatform === 'win32' ? path.win32.sep : path.posix.sep;
minimatch.sep = sep;
const GLOBSTAR = Symbol('globstar **');
minimatch.GLOBSTAR = GLOBSTAR;
const filter = (pattern, options) => {
    let mm;
    return (p) => (mm ??= cachedMinimatch(pattern, options)).match(p);
};
minimatch.filter = filter;
const ext = (a, b = {}) => Object.assign({}, a, b);
const defaults = (def) => {
    if (!def || typeof def !== 'object' || !Object.keys(def).length) {
        return minimatch;
    }
    const orig = minimatch;
    const m = (p, pattern, options = {}) => orig(p, pattern, ext(def, options));
    return Object.assign(m, {
        Minimatch: class Minimatch extends orig.Minimatch {
            constructor(pattern, options = {}) {
                super(pattern, ext(def, options));
            }
            static defaults(options) {
                return orig.defaults(ext(def, options)).Minimatch;
            }
        },
        unescape: (s, options = {}) => orig.unescape(s, ext(def, options)),
        escape: (s, options = {}) => orig.escape(s, ext(def, options)),
        filter: (pattern, options = {}) => orig.filter(pattern, ext(def, options)),
        defaults: (options) => orig.defaults(ext(def, options)),
        braceExpand: (pattern, options = {}) => orig.braceExpand(pattern, ext(def, options)),
        match: (list, pattern, options = {}) => orig.match(list, pattern, ext(def, options)),
        sep: orig.sep,
        GLOBSTAR: GLOBSTAR,
    });
};
minimatch.defaults = defaults;
// Brace expansion:
// a{b,c}d -> abd acd
// a{b,}c -> abc ac
// a{0..3}d -> a0d a1d a2d a3d
// a{b,c{d,e}f}g -> abg acdfg acefg
// a{b,c}d{e,f}g -> abdeg acdeg abdeg abdfg
//
// Invalid sets are not expanded.
// a{2..}b -> a{2..}b
// a{b}c -> a{b}c
const braceExpand = (pattern, options = {}) => {
    assertValidPattern(pattern);
    // Thanks to Yeting Li <https://github.com/yetingli> for
    // improving this regexp to avoid a ReDOS vulnerability.
    if (options.nobrace || !/\{(?:(?!\{).)*\}/.test(pattern)) {
        // shortcut. no need to expand.
        return [pattern];
    }
    // brace-expansion turns each escaped backslash '\\' into a single '\',
    // which then escapes the next character instead, and can turn an
    // escaped magic character (for example '\\\*') into a live one.
    // Double every pair, so an escaped backslash comes back out still
    // escaped. The parity of each run of backslashes is unchanged.
    let p = pattern.replace(/\\\\/g, '\\\\\\\\');
    // brace-expansion does not know about [...] classes. In
    // windowsPathsNoEscape mode, escape() writes a literal brace as '[{]'
    // or '[}]'. Escape the brace for brace-expansion, which removes that
    // backslash again, leaving '[{]' or '[}]'.
    if (options.windowsPathsNoEscape || options[AWE_KEY] === false) {
        p = p.replace(/\[([{}])\]/g, '[\\$1]');
    }
    return expand(p, { max: options.braceExpandMax });
};
minimatch.braceExpand = braceExpand;
// A numeric range with at least this many values is matched as one
// pattern portion, rather than expanded. For a glob walk, that is
// one directory read, in place of a stat for each value.
const RANGE_MIN = 100;
// a {lo..hi} range that is not escaped, and not a ${...} variable
const rangeRe = /(?<![\\$])\{(-?\d+)\.\.(-?\d+)\}/g;
// true if a range mark in this portion is inside a `!(...)`,
// `*(...)` or `+(...)` extglob. Those repeat or negate their
// contents, so one Matcher for the whole range does not match the
// same strings as the union of one pattern per value. For example,
// `*({1..100})` would match `510` as `5` then `10`, and `!({1..100})`
// would not match `5`, but every expanded pattern except `!(5)` does.
// `@(...)` and `?(...)` are fine: they pick one value at most.
const inRepeatOrNegExt = (portion, mark) => {
    const stack = [];
    for (let i = 0; i < portion.length; i++) {
        const c = portion.charAt(i);
        if (c === '\\') {
            i++;
        }
        else if (c === mark) {
            if (stack.some(t => t !== '@' && t !== '?'))
                return true;
        }
        else if (portion.charAt(i + 1) === '(' && '!?+*@'.includes(c)) {
            stack.push(c);
            i++;
        }
        else if (c === ')') {
            stack.pop();
        }
    }
    return false;
};
const match = (list, pattern, options = {}) => {
    const mm = new Minimatch(pattern, options);
    list = list.filter(f => mm.match(f));
    if (mm.options.nonull && !list.length) {
        list.push(pattern);
    }
    return list;
};
minimatch.match = match;
const globMagic = /[?*]|[+@!]\(.*?\)|\[|\]/;
// Index of the `]` that closes the class that starts at `start`,
// or -1 if it is not closed. Posix classes such as `[:alpha:]` are
// not skipped, so this can find a `]` before the real end. That
// only makes a class look less like a literal.
const classEnd = (pattern, start) => {
    let i = start + 1;
    if (pattern.charAt(i) === '!' || pattern.charAt(i) === '^')
        i++;
    let sawStart = false;
    for (; i < pattern.length; i++) {
        const c = pattern.charAt(i);
        if (c === ']' && sawStart)
            return i;
        sawStart = true;
        if (c === '\\')
            i++;
    }
    return -1;
};
// If a path portion pattern has no magic, return the string it
// matches. Otherwise, return undefined. This can report magic for
// a pattern that is in fact literal (eg, `[]`), but never the
// reverse, so a string result is always safe to compare directly.
const literal = (pattern, noext) => {
    if (!noext && (pattern === '+()' || pattern === '@()'))
        return pattern;
    let lit = '';
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern.charAt(i);
        if (c === '\\') {
            // a trailing \ is a literal \
            lit += pattern.charAt(++i) || c;
        }
        else if (c === '*' || c === '?') {
            return undefined;
        }
        else if (c === '[') {
            const close = classEnd(pattern, i);
            if (close === -1) {
                // not closed, so the [ is a literal
                lit += c;
                continue;
            }
            // a class of one char, such as `[*]` or `[\b]`, is a literal
            let body = pattern.slice(i + 1, close);
            if (body.startsWith('\\'))
                body = body.slice(1);
            if ([...body].length !== 1 || '!^'.includes(pattern.charAt(i + 1))) {
                return undefined;
            }
            lit += body;
            i = close;
        }
        else if (!noext &&
            '+@!'.includes(c) &&
            pattern.charAt(i + 1) === '(' &&
            pattern.includes(')', i + 2)) {
            return undefined;
        }
        else {
            lit += c;
        }
    }
    return lit;
};
// The matching engine compiles and walks extglobs recursively, so a
// path portion with very many extglobs (nested, such as `*(*(*(a)))`,
// or in a row, such as `?(a)?(a)?(a)`) can exhaust the call stack.
// Portions with more than this many extglobs are rejected.
const MAX_EXTGLOBS = 256;
// The number of extglob openers, such as `*(`, in a path portion
// pattern. Chars in a class are counted too, so this can be more than
// the number of extglobs, but never less.
const extglobCount = (pattern) => {
    let n = 0;
    for (let i = 0; i < pattern.length - 1; i++) {
        const c = pattern.charAt(i);
        if (c === '\\') {
            i++;
        }
        else if ('+@!?*'.includes(c) && pattern.charAt(i + 1) === '(') {
            n++;
            i++;
        }
    }
    return n;
};
const assertValidExtglobs = (pattern) => {
    if (extglobCount(pattern) > MAX_EXTGLOBS) {
        throw new TypeError('pattern has too many extglobs');
    }
};
// True if the portion pattern has the same meaning as an alternative
// inside `@(...)`. It must not have a `|` or `)` that is not in a
// closed extglob (those are literal at the top level), an extglob
// that is not closed (the `)` of the `@(...)` would close it), or a
// trailing `\` (it would escape the next `|`). A pattern that is
// only an empty extglob, such as `?()`, is literal on its own, but
// not in `@(...)`. Posix classes such as `[:alpha:]` can hide a `]`
// from classEnd, so patterns with them are not merged.
const extSafe = (pattern) => {
    if (/^[?*+@]\(\)$/.test(pattern) || pattern.includes('[:'))
        return false;
    let depth = 0;
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern.charAt(i);
        if (c === '\\') {
            if (++i === pattern.length)
                return false;
        }
        else if (c === '[') {
            const close = classEnd(pattern, i);
            if (close !== -1)
                i = close;
        }
        else if ('+@!?*'.includes(c) && pattern.charAt(i + 1) === '(') {
            depth++;
            i++;
        }
        else if (c === ')') {
            if (!depth--)
                return false;
        }
        else if (c === '|' && !depth) {
            return false;
        }
    }
    return !depth;
};
// The last path that Minimatch#match split, and its parts. A path is
// often tested against many patterns in a row (such as a list of
// ignore patterns), so this saves splitting it again. The parts are
// never changed, so they can be shared.
let lastSplit;
// The last path that Minimatch#match checked before splitting it. If
// the same path is checked again, it is being tested against many
// patterns, so it is split and the parts are kept for the others.
let lastChecked;
// true if a pattern portion that is not ** matches a path portion.
// An empty path portion only matches an empty pattern portion. A path
// portion never has a `/`, so the Matcher does not need to check it.
const portionMatch = (p, f) => typeof p === 'string' ? f === p : f !== '' && p.testUnchecked(f);
// Where the last portion of a row matches in a path: the start of the
// last portion of the path, or of the one before a trailing `/`. -1 if
// it matches neither.
const endIndex = (p, last, lastStart, prev, prevStart) => portionMatch(p, last) ? lastStart
    : prev !== undefined && portionMatch(p, prev) ? prevStart
        : -1;
const isDots = (p) => p === '.' || p === '..';
// a Windows drive letter portion, like `c:`
const isDrive = (p) => typeof p === 'string' && /^[a-z]:$/i.test(p);
// true for the `UNC` portion of a long UNC root, //?/UNC/host/share
const isLongUNC = (p) => typeof p === 'string' && /^unc$/i.test(p);
// The index of the host in a row or split path that starts with a
// Windows UNC root: 2 for `//host/share`, and 4 for
// `//?/UNC/host/share`. Otherwise -1. `//?/c:` is not one.
const uncHost = (p) => {
    if (p[0] !== '' || p[1] !== '')
        return -1;
    const h = p[2] !== '?' ? 2
        : isLongUNC(p[3]) ? 4
            : -1;
    const host = p[h];
    const share = p[h + 1];
    return (h !== -1 &&
        host !== undefined &&
        host !== '' &&
        host !== GLOBSTAR &&
        share !== undefined &&
        share !== '' &&
        share !== GLOBSTAR) ?
        h
        : -1;
};
// true if ** can walk the path portion: not `.` or `..`, and not a
// dotfile unless `dot` is set
const walkable = (p, dot) => !isDots(p) && (dot || !p.startsWith('.'));
// True if a portion of the path from `start` to `end` can not be
// walked by **: one that starts with `.`, or with `dot`, one that is
// `.` or `..`. `start` is the start of a portion, and `end` is the end
// of the path, or just after a separator.
const dotPortion = (f, start, end, dot, sep) => {
    for (let k = start; k < end;) {
        if (f.charCodeAt(k) === 46) {
            if (!dot)
                return true;
            const n = f.charCodeAt(k + 1) === 46 ? k + 2 : k + 1;
            if (n >= end || isSep(f.charCodeAt(n), sep))
                return true;
        }
        // the start of the next portion, after any run of separators
        const s = nextSep(f, k, sep);
        if (s === -1)
            return false;
        k = s + 1;
        while (k < end && isSep(f.charCodeAt(k), sep))
            k++;
    }
    return false;
};
const isSep = (c, sep) => sep === '/' ? c === 47
    : sep === '\\' ? c === 92
        : c === 47 || c === 92;
// the index of the first separator at or after `from`, or -1
const nextSep = (f, from, sep) => {
    if (sep !== 'both')
        return f.indexOf(sep, from);
    const s = f.indexOf('/', from);
    const b = f.indexOf('\\', from);
    return (s === -1 ? b
        : b === -1 ? s
            : Math.min(s, b));
};
// the index of the last separator at or before `from`, or -1
const lastSep = (f, from, sep) => sep !== 'both' ?
    f.lastIndexOf(sep, from)
    : Math.max(f.lastIndexOf('/', from), f.lastIndexOf('\\', from));
// What parse() returns in place of a Matcher while make() builds and
// merges the rows. Most of the Matchers in rows that are merged would
// never be used, so they are only made for the rows that are left.
const PENDING = {};
class Minimatch {
    options;
    set;
    pattern;
    windowsPathsNoEscape;
    nonegate;
    negate;
    comment;
    empty;
    preserveMultipleSlashes;
    partial;
    globSet;
    globParts;
    nocase;
    isWindows;
    platform;
    windowsNoMagicRoot;
    maxGlobstarRecursion;
    // the path can be checked against the last portion, and the string
    // portions, of each row before it is split. See #canMatch.
    #endCheck;
    #literalCheck;
    // level 2 resolves `.` and `..` portions in the path
    #level2;
    // the unicode normalization form, if any
    #form;
    // the string portions of each row in the set
    #literals = [];
    // the rows that #canMatch can match without splitting the path
    #shapes = [];
    // the rows whose last portion can be checked against the path's
    #endRows = [];
    // brace expansion can make the same portion in many rows, so they
    // share one Matcher, and the states that it caches
    #matchers = new Map();
    // parse() returns PENDING in place of a Matcher
    #pending = false;
    // the char that marks numeric ranges in globSet, if any
    #rangeMark;
    // the GlobstarParts of each pattern row, by start index and partial
    #globstarParts = new WeakMap();
    constructor(pattern, options = {}) {
        assertValidPattern(pattern);
        options = options || {};
        this.options = options;
        this.maxGlobstarRecursion =
            options.maxGlobstarRecursion ?? DEFAULT_GLOB_STAR_RECURSION_MAX;
        this.pattern = pattern;
        this.platform = options.platform || defaultPlatform;
        this.isWindows = this.platform === 'win32';
        this.windowsPathsNoEscape =
            !!options.windowsPathsNoEscape || options[AWE_KEY] === false;
        if (this.windowsPathsNoEscape) {
            this.pattern = this.pattern.replace(/\\/g, '/');
        }
        this.preserveMultipleSlashes = !!options.preserveMultipleSlashes;
        this.negate = false;
        this.nonegate = !!options.nonegate;
        this.comment = false;
        this.empty = false;
        this.partial = !!options.partial;
        this.nocase = !!this.options.nocase;
        this.windowsNoMagicRoot =
            options.windowsNoMagicRoot !== undefined ?
                options.windowsNoMagicRoot
                : !!(this.isWindows && this.nocase);
        this.globSet = [];
        this.globParts = [];
        this.set = [];
        this.#endCheck = !this.preserveMultipleSlashes;
        this.#level2 = (options.optimizationLevel ?? 1) >= 2;
        const n = options.normalize;
        this.#form = n === true ? 'NFC' : n || undefined;
        // make the set of Matchers etc.
        this.make();
        // On Windows, the portions of a row up to its drive letter or UNC
        // share are skipped or compared without case, if the path has one
        // too. So the checks only use the portions after it.
        const drives = this.set.map(row => this.#rootIndex(row));
        this.#endRows = this.set.map((row, r) => this.#endCheck && row.length - 1 > drives[r]);
        // with the end check, the last portion is already checked
        this.#literals = this.set.map((row, r) => {
            const end = this.#endRows[r] ? row.length - 1 : row.length;
            const lits = row
                .slice(drives[r] + 1, end)
                .filter((p) => typeof p === 'string' && !!p);
            return [...new Set(lits)];
        });
        this.#literalCheck = this.#literals.some(l => l.length);
        this.#shapes = this.set.map((row, r) => {
            const [p0, p1, p2] = row;
            if (this.#endRows[r] && row.length === 2) {
                if (p0 === GLOBSTAR && p1 !== GLOBSTAR)
                    return 'tail';
            }
            // the basename of a path that is split on / is its last portion,
            // or the one before a trailing /, the same as the end check
            if (this.#endRows[r] &&
                options.matchBase &&
                row.length === 1 &&
                p0 !== GLOBSTAR &&
                p0 !== '') {
                return 'base';
            }
            // the portion must not be a root, or '', which can be a
            // different portion on Windows (where //x paths get an extra '')
            if (!this.#endCheck || drives[r] !== -1)
                return undefined;
            if (row.length === 3 &&
                p0 === GLOBSTAR &&
                p2 === GLOBSTAR &&
                p1 !== GLOBSTAR &&
                p1 !== '' &&
                // the portion between is only matched below this limit
                this.maxGlobstarRecursion > 0) {
                return 'mid';
            }
            if (row.length === 2 &&
                p1 === GLOBSTAR &&
                p0 !== GLOBSTAR &&
                p0 !== '') {
                return 'head';
            }
            return undefined;
        });
    }
    // a string portion of a pattern, normalized if the option is set
    #norm(p) {
        return this.#form ? p.normalize(this.#form) : p;
    }
    // On Windows, the index of the last root portion of a row, as
    // #matchRow finds it: 0 for `c:/...`, 3 for `//?/c:/...` and
    // `//host/share/...`, and 5 for `//?/UNC/host/share/...`. Otherwise
    // -1.
    #rootIndex(row) {
        if (!this.isWindows)
            return -1;
        if (isDrive(row[0]))
            return 0;
        const uncDrive = row[0] === '' && row[1] === '' && row[2] === '?' && isDrive(row[3]);
        if (uncDrive)
            return 3;
        const h = uncHost(row);
        return h === -1 ? -1 : h + 1;
    }
    hasMagic() {
        if (this.options.magicalBraces && this.set.length > 1) {
            return true;
        }
        for (const pattern of this.set) {
            for (const part of pattern) {
                if (typeof part !== 'string')
                    return true;
            }
        }
        return false;
    }
    make() {
        const pattern = this.pattern;
        const options = this.options;
        // empty patterns and comments match nothing.
        if (!options.nocomment && pattern.charAt(0) === '#') {
            this.comment = true;
            return;
        }
        if (!pattern) {
            this.empty = true;
            return;
        }
        // step 1: figure out negation, etc.
        this.parseNegate();
        // step 2: expand braces
        this.globSet = [...new Set(this.#expandBraces())];
        // step 3: now we have a set, so turn each one into a series of
        // path-portion matching patterns.
        // These will be Matchers, except in the case of "**", which is
        // set to the GLOBSTAR object for globstar behavior,
        // and will not contain any / characters
        //
        // First, we preprocess to make the glob pattern sets a bit simpler
        // and deduped.  There are some perf-killing patterns that can cause
        // problems with a glob walk, but we can simplify them down a bit.
        const rawGlobParts = this.globSet.map(s => this.#slashSplit(s));
        this.globParts = this.preprocess(rawGlobParts);
        // glob --> Matchers
        this.#pending = true;
        let set = this.globParts.map((s, _, __) => {
            if (this.isWindows && this.windowsNoMagicRoot) {
                // check if it's a drive or unc path. The root of a long UNC
                // path, //?/UNC/host/share, is 6 portions.
                const n = s[2] === '?' && isLongUNC(s[3]) ? 6 : 4;
                const isUNC = s[0] === '' &&
                    s[1] === '' &&
                    (s[2] === '?' || !globMagic.test(s[2])) &&
                    s.slice(3, n).every(p => !globMagic.test(p));
                const isDrive = /^[a-z]:/i.test(s[0]);
                if (isUNC) {
                    return [
                        ...s.slice(0, n).map(p => this.#norm(p)),
                        ...s.slice(n).map(ss => this.parse(ss)),
                    ];
                }
                else if (isDrive) {
                    return [
                        this.#norm(s[0]),
                        ...s.slice(1).map(ss => this.parse(ss)),
                    ];
                }
            }
            return s.map(ss => this.parse(ss));
        });
        // filter out everything that didn't compile properly.
        this.set = set.filter(s => s.indexOf(false) === -1);
        // do not treat the ? in UNC paths as magic
        if (this.isWindows) {
            for (let i = 0; i < this.set.length; i++) {
                const p = this.set[i];
                if (p[0] === '' &&
                    p[1] === '' &&
                    this.globParts[i][2] === '?' &&
                    (isDrive(p[3]) || isLongUNC(this.globParts[i][3]))) {
                    if (isLongUNC(this.globParts[i][3]))
                        p[3] = 'UNC';
                    p[2] = '?';
                }
            }
        }
        // with noext, `@(...)` would be literal
        if (!options.noext)
            this.mergeRows();
        this.#pending = false;
        this.set.forEach((row, i) => {
            for (let k = 0; k < row.length; k++) {
                if (row[k] === PENDING) {
                    row[k] = this.parse(this.globParts[i][k]);
                }
            }
        });
    }
    // Merge rows that only differ in one portion, where each of them
    // is a Matcher, into one row that matches any of them with
    // `@(a|b|...)`. Then a path is only walked once for all of them,
    // for example with `**/*.{js,ts}`.
    mergeRows() {
        let merged = true;
        while (merged) {
            merged = false;
            // a single row cannot be merged with anything
            if (this.set.length < 2)
                return;
            let keys = this.#mergeKeys();
            const len = Math.max(0, ...this.set.map(r => r.length));
            for (let k = 0; k < len; k++) {
                // the rows that are the same other than at portion k, keyed
                // by the ids of the parts before k and the parts after k,
                // which are at most the number of rows
                const groups = new Map();
                const R = this.set.length + 1;
                this.set.forEach((row, i) => {
                    if (!(row[k] instanceof Matcher || row[k] === PENDING) ||
                        !extSafe(this.globParts[i][k])) {
                        return;
                    }
                    const { pre, suf } = keys[i];
                    const key = pre[k] * R + suf[k + 1];
                    const g = groups.get(key);
                    if (g)
                        g.push(i);
                    else
                        groups.set(key, [i]);
                });
                const drop = new Set();
                for (const g of groups.values()) {
                    if (g.length < 2)
                        continue;
                    const [first, ...rest] = g;
                    const alts = g.map(i => this.globParts[i][k]);
                    const glob = `@(${alts.join('|')})`;
                    // merging is only an optimization, so leave the rows as they
                    // are if the merged portion would have too many extglobs
                    if (extglobCount(glob) > MAX_EXTGLOBS)
                        continue;
                    this.globParts[first][k] = glob;
                    this.set[first][k] = this.parse(glob);
                    for (const i of rest)
                        drop.add(i);
                }
                if (drop.size) {
                    merged = true;
                    this.set = this.set.filter((_, i) => !drop.has(i));
                    this.globParts = this.globParts.filter((_, i) => !drop.has(i));
                    // every merge drops a row, so this happens at most once per row
                    if (this.set.length < 2)
                        return;
                    keys = this.#mergeKeys();
                }
            }
        }
    }
    // For each row, number ids for its prefixes and suffixes, such that
    // pre[k] identifies parts[0..k) and suf[k] identifies parts[k..n).
    // Two rows are the same other than at portion k exactly when they
    // have the same pre[k] and suf[k + 1]. This is linear in the size of
    // the rows, where joining the whole row for every k was quadratic.
    #mergeKeys() {
        const partIds = new Map();
        const ids = this.globParts.map(parts => parts.map(s => {
            let id = partIds.get(s);
            if (id === undefined)
                partIds.set(s, (id = partIds.size));
            return id;
        }));
        // ids are only compared at the same k, so they are numbered per
        // portion, with 0 for the empty prefix or suffix. Then they are
        // at most the number of rows, and id * P + part id is a safe
        // integer key for any set that fits in memory.
        const P = partIds.size;
        const len = Math.max(0, ...ids.map(r => r.length));
        const keys = ids.map(r => ({
            pre: [0],
            suf: new Array(r.length + 1).fill(0),
        }));
        for (let k = 0; k < len; k++) {
            const m = new Map();
            ids.forEach((r, i) => {
                if (k >= r.length)
                    return;
                const { pre } = keys[i];
                const key = pre[k] * P + r[k];
                let id = m.get(key);
                if (id === undefined)
                    m.set(key, (id = m.size + 1));
                pre.push(id);
            });
        }
        for (let k = len - 1; k >= 0; k--) {
            const m = new Map();
            ids.forEach((r, i) => {
                if (k >= r.length)
                    return;
                const { suf } = keys[i];
                const key = suf[k + 1] * P + r[k];
                let id = m.get(key);
                if (id === undefined)
                    m.set(key, (id = m.size + 1));
                suf[k] = id;
            });
        }
        return keys;
    }
    // various transforms to equivalent pattern sets that are
    // faster to process in a filesystem walk.  The goal is to
    // eliminate what we can, and push all ** patterns as far
    // to the right as possible, even if it increases the number
    // of patterns that we have to process.
    preprocess(globParts) {
        // if we're not in globstar mode, then turn ** into *
        if (this.options.noglobstar) {
            for (const partset of globParts) {
                for (let j = 0; j < partset.length; j++) {
                    if (partset[j] === '**') {
                        partset[j] = '*';
                    }
                }
            }
        }
        const { optimizationLevel = 1 } = this.options;
        if (optimizationLevel >= 2) {
            // aggressive optimization for the purpose of fs walking
            globParts = this.firstPhasePreProcess(globParts);
            globParts = this.secondPhasePreProcess(globParts);
        }
        else if (optimizationLevel >= 1) {
            // just basic optimizations to remove some .. parts
            globParts = this.levelOneOptimize(globParts);
        }
        else {
            // just collapse multiple ** portions into one
            globParts = this.adjascentGlobstarOptimize(globParts);
        }
        return globParts;
    }
    // just get rid of adjascent ** portions
    adjascentGlobstarOptimize(globParts) {
        return globParts.map(parts => {
            let gs = -1;
            while (-1 !== (gs = parts.indexOf('**', gs + 1))) {
                let i = gs;
                while (parts[i + 1] === '**') {
                    i++;
                }
                if (i !== gs) {
                    parts.splice(gs, i - gs);
                }
            }
            return parts;
        });
    }
    // get rid of adjascent ** and resolve .. portions
    levelOneOptimize(globParts) {
        return globParts.map(parts => {
            // .. can not remove the root of a Windows path
            const root = this.#rootIndex(parts) + 1;
            parts = parts.reduce((set, part) => {
                const prev = set[set.length - 1];
                if (part === '**' && prev === '**') {
                    return set;
                }
                if (part === '..') {
                    if (set.length > root &&
                        prev &&
                        prev !== '..' &&
                        prev !== '.' &&
                        prev !== '**') {
                        set.pop();
                        return set;
                    }
                }
                set.push(part);
                return set;
            }, []);
            return parts.length === 0 ? [''] : parts;
        });
    }
    // Check the path against each row before it is split. 'no' if no
    // row can match, so it does not need to be split. 'yes' if a row of
    // `**` and one more portion matches. 'maybe' if it must be split to
    // know. None of this applies with partial, where the path can end
    // before the row does.
    //
    // On Windows, `\` is a separator in the path too, and the portions of
    // a row up to its drive letter or UNC share are not checked (see
    // #rootIndex).
    //
    // Each string portion of a row must be a portion of the path, so the
    // path must contain it. Level 2 can only take portions out of the
    // path, so this is still true then.
    //
    // The last portion of a row must match the last portion of the path,
    // or the one before a trailing `/` (as a/* and a/**/* match a/b/).
    // This does not apply to rows that end in **, rows that end in a
    // root, or preserveMultipleSlashes (which can leave more
    // than one '' at the end). At level 2, it does not apply if that
    // portion is `.` or `..`, which can be
    // resolved away. Level 2 only takes other portions out of the
    // middle of the path.
    //
    // A row of `**/x` then matches if the ** can walk the portions
    // before the one that x matches, the same as #matchGlobstar. At
    // level 2, this is only known if none of them are `.` or `..`, so
    // that the path does not change when it is resolved.
    #canMatch(f) {
        const sep = !this.isWindows || !f.includes('\\') ? '/'
            : f.includes('/') ? 'both'
                : '\\';
        // the portions that f.split(/\/+/) would end with, and where they
        // start in f, found when a row needs them. `ends` is 0 until they
        // are found, then 1, or -1 if they can not be used.
        let ends = this.#endCheck ? 0 : -1;
        let last = '';
        let lastStart = 0;
        let prev;
        let prevStart = 0;
        const dot = !!this.options.dot;
        // A string compare is cheaper than includes(), and a Matcher test
        // costs more, so the cheaper check goes first.
        ROWS: for (let r = 0; r < this.set.length; r++) {
            const row = this.set[r];
            const p = row[row.length - 1];
            let end = ends !== -1 && this.#endRows[r] && p !== GLOBSTAR;
            if (end && ends === 0) {
                const i = lastSep(f, f.length, sep);
                lastStart = i + 1;
                last = f.slice(lastStart);
                if (last === '' && i >= 0) {
                    let j = i;
                    while (j > 0 && isSep(f.charCodeAt(j - 1), sep))
                        j--;
                    prevStart = j === 0 ? 0 : lastSep(f, j - 1, sep) + 1;
                    prev = f.slice(prevStart, j);
                }
                const resolves = this.#level2 &&
                    (isDots(last) ||
                        (last === '' && prev !== undefined && isDots(prev)));
                ends = resolves ? -1 : 1;
                end = !resolves;
            }
            let tailStart = -1;
            if (end && typeof p === 'string') {
                tailStart = endIndex(p, last, lastStart, prev, prevStart);
                if (tailStart === -1)
                    continue;
            }
            if (this.#literalCheck) {
                for (const l of this.#literals[r]) {
                    if (!f.includes(l))
                        continue ROWS;
                }
            }
            if (end && typeof p === 'object') {
                tailStart = endIndex(p, last, lastStart, prev, prevStart);
                if (tailStart === -1)
                    continue;
            }
            const shape = this.#shapes[r];
            if (shape === 'base' && end)
                return 'yes';
            if (shape === 'tail' && end) {
                if (this.#level2 && dotPortion(f, 0, tailStart, true, sep)) {
                    return 'maybe';
                }
                if (!dotPortion(f, 0, tailStart, dot, sep))
                    return 'yes';
                continue;
            }
            if (shape === 'mid' || shape === 'head') {
                const m = this.#walk(f, row, shape === 'head', dot, sep);
                if (m !== 'no')
                    return m;
                continue;
            }
            return 'maybe';
        }
        return 'no';
    }
    // Match a row of a known shape against the split path, the same as
    // #matchGlobstar and #matchGlobStarBodySections do. None of these
    // rows have a drive letter, so they start at the first portion.
    #matchShape(file, row, shape) {
        const dot = !!this.options.dot;
        const n = file.length;
        if (shape === 'head') {
            // x, then at least one portion that ** can walk
            if (n < 2 || !portionMatch(row[0], file[0])) {
                return false;
            }
            for (let i = 1; i < n; i++)
                if (!walkable(file[i], dot))
                    return false;
            return true;
        }
        const x = row[1];
        if (shape === 'tail') {
            // x is the last portion, or the one before a trailing ''
            let t = n - 1;
            if (!portionMatch(x, file[t])) {
                if (file[t] !== '' || n === 1 || !portionMatch(x, file[--t])) {
                    return false;
                }
            }
            for (let i = 0; i < t; i++)
                if (!walkable(file[i], dot))
                    return false;
            return true;
        }
        // mid: the first x that ** can walk to, with a portion after it,
        // and ** can walk all of those
        for (let k = 0; k < n; k++) {
            if (portionMatch(x, file[k]) && k + 1 < n) {
                let i = k + 1;
                while (i < n && walkable(file[i], dot))
                    i++;
                if (i === n)
                    return true;
            }
            if (!walkable(file[k], dot))
                return false;
        }
        return false;
    }
    // Match a row of `**/x/**` or `x/**` against the path, the same as
    // #matchGlobstar and #matchGlobStarBodySections do once it is split.
    // x must match a portion (the first one, for `x/**`), the ** before
    // it must be able to walk the portions before that one, and there
    // must be a portion after it, which the ** after it can walk. At
    // level 2, this is only known if no portion is `.` or `..`.
    #walk(f, row, head, dot, sep) {
        if (this.#level2 && dotPortion(f, 0, f.length, true, sep))
            return 'maybe';
        const x = row[head ? 0 : 1];
        // the last portion has none after it, so it can not be x
        let s = 0;
        for (let e = nextSep(f, s, sep); e !== -1; e = nextSep(f, s, sep)) {
            // the start of the next portion
            let next = e + 1;
            while (next < f.length && isSep(f.charCodeAt(next), sep))
                next++;
            const hit = typeof x === 'string' ?
                e - s === x.length && f.startsWith(x, s)
                : e > s && x.testUnchecked(f.slice(s, e));
            if (hit && !dotPortion(f, next, f.length, dot, sep))
                return 'yes';
            if (head || dotPortion(f, s, next, dot, sep))
                return 'no';
            s = next;
        }
        return 'no';
    }
    // the last split, if it was the same path with the same split
    // settings
    #cachedSplit(f) {
        const last = lastSplit;
        return (last?.f === f &&
            last.isWindows === this.isWindows &&
            last.preserveMultipleSlashes === this.preserveMultipleSlashes &&
            last.normalize === this.#form) ?
            last
            : undefined;
    }
    // split a path for match(), and keep the parts for the next call
    #split(f) {
        const { isWindows, preserveMultipleSlashes } = this;
        // windows: need to use /, not \
        let parts = this.#slashSplit(isWindows ? f.split('\\').join('/') : f);
        // normalize each portion, so that a char that normalizes to `/`
        // does not make a new portion
        const normalize = this.#form;
        if (normalize)
            parts = parts.map(p => p.normalize(normalize));
        lastSplit = {
            f,
            isWindows,
            preserveMultipleSlashes,
            normalize,
            parts,
        };
        return lastSplit;
    }
    // resolve `.` and `..` portions of a path, for level 2
    #levelTwoFileOptimize(file) {
        // work on a copy, so that the cached parts do not change
        const parts = [...file];
        let didSomething = false;
        do {
            didSomething = false;
            // <pre>/<e>/<rest> -> <pre>/<rest>
            if (!this.preserveMultipleSlashes) {
                for (let i = 1; i < parts.length - 1; i++) {
                    const p = parts[i];
                    // don't squeeze out UNC patterns
                    if (i === 1 && p === '' && parts[0] === '')
                        continue;
                    if (p === '.' || p === '') {
                        didSomething = true;
                        parts.splice(i, 1);
                        i--;
                    }
                }
                if (parts[0] === '.' &&
                    parts.length === 2 &&
                    (parts[1] === '.' || parts[1] === '')) {
                    didSomething = true;
                    parts.pop();
                }
            }
            // <pre>/<p>/../<rest> -> <pre>/<rest>
            // .. can not remove the root of a Windows path
            const root = this.#rootIndex(parts) + 1;
            let dd = root;
            while (-1 !== (dd = parts.indexOf('..', dd + 1))) {
                const p = parts[dd - 1];
                if (p && p !== '.' && p !== '..' && p !== '**') {
                    didSomething = true;
                    parts.splice(dd - 1, 2);
                    dd = Math.max(dd - 2, root);
                }
            }
        } while (didSomething);
        return parts.length === 0 ? [''] : parts;
    }
    // First phase: single-pattern processing
    // <pre> is 1 or more portions
    // <rest> is 1 or more portions
    // <p> is any portion other than ., .., '', or **
    // <e> is . or ''
    //
    // **/.. is *brutal* for filesystem walking performance, because
    // it effectively resets the recursive walk each time it occurs,
    // and ** cannot be reduced out by a .. pattern part like a regexp
    // or most strings (other than .., ., and '') can be.
    //
    // <pre>/**/../<p>/<p>/<rest> -> {<pre>/../<p>/<p>/<rest>,<pre>/**/<p>/<p>/<rest>}
    // <pre>/<e>/<rest> -> <pre>/<rest>
    // <pre>/<p>/../<rest> -> <pre>/<rest>
    // **/**/<rest> -> **/<rest>
    //
    // **/*/<rest> -> */**/<rest> <== not valid because ** doesn't follow
    // this WOULD be allowed if ** did follow symlinks, or * didn't
    firstPhasePreProcess(globParts) {
        // each **/.. split doubles the patterns, and adds a copy of the
        // whole pattern. Throw if either gets too large. A partial split
        // would match some paths and not others, depending on which rows
        // the pass reached first.
        const { braceExpandMax = DEFAULT_BRACE_EXPAND_MAX } = this.options;
        let splitCells = 0;
        const maxSplitCells = 1_000_000;
        let didSomething = false;
        do {
            didSomething = false;
            // <pre>/**/../<p>/<p>/<rest> -> {<pre>/../<p>/<p>/<rest>,<pre>/**/<p>/<p>/<rest>}
            for (let parts of globParts) {
                let gs = -1;
                while (-1 !== (gs = parts.indexOf('**', gs + 1))) {
                    let gss = gs;
                    while (parts[gss + 1] === '**') {
                        // <pre>/**/**/<rest> -> <pre>/**/<rest>
                        gss++;
                    }
                    // eg, if gs is 2 and gss is 4, that means we have 3 **
                    // parts, and can remove 2 of them.
                    if (gss > gs) {
                        parts.splice(gs + 1, gss - gs);
                    }
                    let next = parts[gs + 1];
                    const p = parts[gs + 2];
                    const p2 = parts[gs + 3];
                    if (next !== '..')
                        continue;
                    if (!p ||
                        p === '.' ||
                        p === '..' ||
                        !p2 ||
                        p2 === '.' ||
                        p2 === '..') {
                        continue;
                    }
                    // Check before changing parts or allocating the new row.
                    const addedCells = parts.length - 1;
                    if (globParts.length >= braceExpandMax ||
                        splitCells + addedCells > maxSplitCells) {
                        throw new RangeError(`optimizationLevel 2: too many patterns from '**/..'`);
                    }
                    didSomething = true;
                    // edit parts in place, and push the new one
                    parts.splice(gs, 1);
                    const other = parts.slice(0);
                    other[gs] = '**';
                    splitCells += addedCells;
                    globParts.push(other);
                    gs--;
                }
                // <pre>/<e>/<rest> -> <pre>/<rest>
                if (!this.preserveMultipleSlashes) {
                    for (let i = 1; i < parts.length - 1; i++) {
                        const p = parts[i];
                        // don't squeeze out UNC patterns
                        if (i === 1 && p === '' && parts[0] === '')
                            continue;
                        if (p === '.' || p === '') {
                            didSomething = true;
                            parts.splice(i, 1);
                            i--;
                        }
                    }
                    if (parts[0] === '.' &&
                        parts.length === 2 &&
                        (parts[1] === '.' || parts[1] === '')) {
                        didSomething = true;
                        parts.pop();
                    }
                }
                // <pre>/<p>/../<rest> -> <pre>/<rest>
                // .. can not remove the root of a Windows path
                const root = this.#rootIndex(parts) + 1;
                let dd = root;
                while (-1 !== (dd = parts.indexOf('..', dd + 1))) {
                    const p = parts[dd - 1];
                    if (p && p !== '.' && p !== '..' && p !== '**') {
                        didSomething = true;
                        const needDot = dd === 1 && parts[dd + 1] === '**';
                        const splin = needDot ? ['.'] : [];
                        parts.splice(dd - 1, 2, ...splin);
                        if (parts.length === 0)
                            parts.push('');
                        dd = Math.max(dd - 2, root);
                    }
                }
            }
        } while (didSomething);
        return globParts;
    }
    // second phase: multi-pattern dedupes
    // {<pre>/<rest>,<pre>/<rest>} -> <pre>/<rest>
    // {<pre>/*/<rest>,<pre>/<p>/<rest>} -> <pre>/*/<rest>
    secondPhasePreProcess(globParts) {
        const keys = new Set();
        const rows = globParts.filter(parts => {
            const key = parts.join('/');
            if (keys.has(key))
                return false;
            keys.add(key);
            return true;
        });
        // A row is covered by another row that has `*` at some positions,
        // and is the same at all others. Collect each distinct set of `*`
        // positions, then look up each row with `*` put at those positions.
        const stars = new Map();
        for (const parts of rows) {
            const s = [];
            for (let i = 0; i < parts.length; i++) {
                if (parts[i] === '*')
                    s.push(i);
            }
            if (s.length)
                stars.set(s.join(','), s);
        }
        // Each row is checked against each set of `*` positions, so skip
        // this if there are too many. The patterns match the same paths
        // either way.
        if (!stars.size || rows.length * stars.size > 100_000)
            return rows;
        const { dot } = this.options;
        return rows.filter(parts => {
            for (const s of stars.values()) {
                if (s[s.length - 1] >= parts.length)
                    continue;
                const c = [...parts];
                let ok = true;
                let changed = false;
                for (const i of s) {
                    const p = parts[i];
                    if (p === '*')
                        continue;
                    if (!p || p === '**' || (!dot && p.startsWith('.'))) {
                        ok = false;
                        break;
                    }
                    c[i] = '*';
                    changed = true;
                }
                if (ok && changed && keys.has(c.join('/')))
                    return false;
            }
            return true;
        });
    }
    parseNegate() {
        if (this.nonegate)
            return;
        const pattern = this.pattern;
        let negate = false;
        let negateOffset = 0;
        for (let i = 0; i < pattern.length && pattern.charAt(i) === '!'; i++) {
            negate = !negate;
            negateOffset++;
        }
        if (negateOffset)
            this.pattern = pattern.slice(negateOffset);
        this.negate = negate;
    }
    // Match the parts of a path against one row of the set. `resolved`
    // is the parts after level 2 resolves `.` and `..` in them, or the
    // same parts below level 2. Set partial to true to test if, for
    // example, "/a/b" matches the start of "/*/b/*/d". Partial means, if
    // you run out of file before you run out of pattern, then that's
    // fine, as long as all the parts match.
    #matchRow(file, resolved, pattern, partial) {
        let fileStartIndex = 0;
        let patternStartIndex = 0;
        // UNC paths like //?/X:/... can match X:/... and vice versa, and
        // //?/UNC/host/share/... can match //host/share/... and vice versa.
        // Drive letters in absolute drive or unc paths, and the host and
        // share of UNC paths, are always compared case-insensitively.
        const fh = this.isWindows ? uncHost(resolved) : -1;
        const ph = fh === -1 ? -1 : uncHost(pattern);
        if (ph !== -1) {
            const host = pattern[ph];
            const share = pattern[ph + 1];
            if (typeof host !== 'string' || typeof share !== 'string') {
                // a host or share with magic is matched as usual
                fileStartIndex = fh;
                patternStartIndex = ph;
            }
            else if (resolved[fh].toLowerCase() === host.toLowerCase() &&
                resolved[fh + 1].toLowerCase() === share.toLowerCase()) {
                fileStartIndex = fh + 2;
                patternStartIndex = ph + 2;
            }
        }
        else if (this.isWindows) {
            const fileDrive = typeof file[0] === 'string' && /^[a-z]:$/i.test(file[0]);
            const fileUNC = !fileDrive &&
                file[0] === '' &&
                file[1] === '' &&
                file[2] === '?' &&
                /^[a-z]:$/i.test(file[3]);
            const patternDrive = typeof pattern[0] === 'string' && /^[a-z]:$/i.test(pattern[0]);
            const patternUNC = !patternDrive &&
                pattern[0] === '' &&
                pattern[1] === '' &&
                pattern[2] === '?' &&
                typeof pattern[3] === 'string' &&
                /^[a-z]:$/i.test(pattern[3]);
            const fdi = fileUNC ? 3
                : fileDrive ? 0
                    : undefined;
            const pdi = patternUNC ? 3
                : patternDrive ? 0
                    : undefined;
            if (typeof fdi === 'number' && typeof pdi === 'number') {
                const [fd, pd] = [
                    file[fdi],
                    pattern[pdi],
                ];
                // the drives match, so start matching after them
                if (fd.toLowerCase() === pd.toLowerCase()) {
                    patternStartIndex = pdi + 1;
                    fileStartIndex = fdi + 1;
                }
            }
        }
        // the drive letters are found in the parts before level 2 resolves
        // them, and the match uses the resolved parts
        file = resolved;
        if (pattern.includes(GLOBSTAR)) {
            return this.#matchGlobstar(file, pattern, partial, fileStartIndex, patternStartIndex);
        }
        return this.#matchOne(file, pattern, partial, fileStartIndex, patternStartIndex);
    }
    #matchGlobstar(file, pattern, partial, fileIndex, patternIndex) {
        const { head, body, tail, segments } = this.#getGlobstarParts(pattern, partial, patternIndex);
        // check the head, from the current file/pattern index.
        if (head.length) {
            const headEnd = fileIndex + head.length;
            if (!this.#matchOne(file, head, partial, fileIndex, 0, headEnd)) {
                return false;
            }
            fileIndex += head.length;
            patternIndex += head.length;
        }
        // now we know the head matches!
        // if the last portion is not empty, it MUST match the end
        // check the tail
        let fileTailMatch = 0;
        if (tail.length) {
            // if head + tail > file, then we cannot possibly match
            if (tail.length + fileIndex > file.length)
                return false;
            // try to match the tail
            let tailStart = file.length - tail.length;
            if (this.#matchOne(file, tail, partial, tailStart, 0)) {
                fileTailMatch = tail.length;
            }
            else {
                // affordance for stuff like a/**/* matching a/b/
                // if the last file portion is '', and there's more to the pattern
                // then try without the '' bit.
                if (file[file.length - 1] !== '' ||
                    fileIndex + tail.length === file.length) {
                    return false;
                }
                tailStart--;
                if (!this.#matchOne(file, tail, partial, tailStart, 0)) {
                    return false;
                }
                fileTailMatch = tail.length + 1;
            }
        }
        // now we know the tail matches!
        // the middle is zero or more portions wrapped in **, possibly
        // containing more ** sections.
        // so a/**/b/**/c/**/d has become **/b/**/c/**
        // if it's empty, it means a/**/b, just verify we have no bad dots
        // if there's no tail, so it ends on /**, then we must have *something*
        // after the head, or it's not a matc
        if (!body.length) {
            let sawSome = !!fileTailMatch;
            for (let i = fileIndex; i < file.length - fileTailMatch; i++) {
                const f = String(file[i]);
                sawSome = true;
                if (f === '.' ||
                    f === '..' ||
                    (!this.options.dot && f.startsWith('.'))) {
                    return false;
                }
            }
            // in partial mode, we just need to get past all file parts
            return partial || sawSome;
        }
        // now we know that there's one or more body sections, which can
        // be matched anywhere from the 0 index (because the head was pruned)
        // through to the length-fileTailMatch index.
        return !!this.#matchGlobStarBodySections(file, segments, file.length - fileTailMatch, fileIndex, 0, partial, 0, !!fileTailMatch, new Set());
    }
    // Split the pattern into head, tail, and middle of ** delimited
    // parts. The tail has to be at the end, and the others just have to
    // be found in order from the head. These only depend on the pattern
    // row, so they are kept for the next path.
    #getGlobstarParts(pattern, partial, patternIndex) {
        let byStart = this.#globstarParts.get(pattern);
        if (!byStart) {
            byStart = [];
            this.#globstarParts.set(pattern, byStart);
        }
        const key = patternIndex * 2 + (partial ? 1 : 0);
        const found = byStart[key];
        if (found)
            return found;
        const firstgs = pattern.indexOf(GLOBSTAR, patternIndex);
        const lastgs = pattern.lastIndexOf(GLOBSTAR);
        const head = pattern.slice(patternIndex, firstgs);
        const body = pattern.slice(firstgs + 1, partial ? undefined : lastgs);
        const tail = partial ? [] : pattern.slice(lastgs + 1);
        // split the body up into sections, and note the number of
        // portions that must come after the start of each one
        const segments = [[[], 0]];
        let current = segments[0];
        let nonGsParts = 0;
        const nonGsPartsSums = [0];
        for (const b of body) {
            if (b === GLOBSTAR) {
                nonGsPartsSums.push(nonGsParts);
                current = [[], 0];
                segments.push(current);
            }
            else {
                current[0].push(b);
                nonGsParts++;
            }
        }
        // the portions in this section and the ones after it
        segments.forEach((b, i) => {
            b[1] = nonGsParts - nonGsPartsSums[i];
        });
        const parts = { head, body, tail, segments };
        byStart[key] = parts;
        return parts;
    }
    // return false for "nope, not matching"
    // return null for "not matching, cannot keep trying"
    #matchGlobStarBodySections(file, 
    // pattern section, and the portions that it and the rest need
    bodySegments, 
    // the end of the file portions that the body can match
    fileLength, fileIndex, bodyIndex, partial, globStarDepth, sawTail, 
    // the places that a walk has already tried, as
    // bodyIndex * (file.length + 1) + fileIndex. A walk from a place
    // does the same no matter how it got there, and it only comes back
    // if it found no match, so a walk that gets to one stops.
    tried) {
        // take the first body segment, and walk from fileIndex to its "after"
        // value at the end
        // If it doesn't match at that position, we increment, until we hit
        // that final possible position, and give up.
        // If it does match, then advance and try to rest.
        // If any of them fail we keep walking forward.
        // this is still a bit recursively painful, but it's more constrained
        // than previous implementations, because we never test something that
        // can't possibly be a valid matching condition.
        const bs = bodySegments[bodyIndex];
        if (!bs) {
            // with partial, the body is the rest of the pattern, so it
            // matches if no portions are left, or only the '' of a trailing
            // / (as a/* matches a/b/). A ** at the end walks them as its own
            // empty section.
            if (partial) {
                return (fileIndex >= fileLength ||
                    (fileIndex === fileLength - 1 && file[fileIndex] === ''));
            }
            // just make sure that there's no bad dots before the tail
            for (let i = fileIndex; i < fileLength; i++) {
                sawTail = true;
                const f = file[i];
                if (f === '.' ||
                    f === '..' ||
                    (!this.options.dot && f.startsWith('.'))) {
                    return false;
                }
            }
            return sawTail;
        }
        // have a non-globstar body section to test, up to the last index
        // where it can start
        const [body, need] = bs;
        // with partial, the path can end before the body does
        const after = partial ? fileLength : fileLength - need;
        while (fileIndex <= after) {
            const key = bodyIndex * (file.length + 1) + fileIndex;
            if (tried.has(key))
                return false;
            tried.add(key);
            const m = this.#matchOne(file, body, partial, fileIndex, 0, fileIndex + body.length);
            // if limit exceeded, no match. intentional false negative,
            // acceptable break in correctness for security.
            if (m && globStarDepth < this.maxGlobstarRecursion) {
                // match! see if the rest match. if so, we're done!
                const sub = this.#matchGlobStarBodySections(file, bodySegments, fileLength, fileIndex + body.length, bodyIndex + 1, partial, globStarDepth + 1, sawTail, tried);
                if (sub !== false) {
                    return sub;
                }
            }
            // the ** does not walk past the last place the body can start
            if (fileIndex === after)
                break;
            const f = file[fileIndex];
            if (f === '.' ||
                f === '..' ||
                (!this.options.dot && f.startsWith('.'))) {
                return false;
            }
            fileIndex++;
        }
        // walked off. no point continuing
        return partial || null;
    }
    #matchOne(file, pattern, partial, fileIndex, patternIndex, 
    // only match the file portions before this index
    fileEnd = file.length) {
        let fi;
        let pi;
        let pl;
        let fl;
        for (fi = fileIndex,
            pi = patternIndex,
            fl = Math.min(fileEnd, file.length),
            pl = pattern.length; fi < fl && pi < pl; fi++, pi++) {
            let p = pattern[pi];
            let f = file[fi];
            // should be impossible.
            /* c8 ignore start */
            if (p === false || p === GLOBSTAR) {
                return false;
            }
            /* c8 ignore stop */
            // something other than **
            // non-magic patterns just have to match exactly
            // patterns with magic have been turned into Matchers.
            if (!portionMatch(p, f))
                return false;
        }
        // Note: ending in / means that we'll get a final ""
        // at the end of the pattern.  This can only match a
        // corresponding "" at the end of the file.
        // If the file ends in /, then it can only match a
        // a pattern that ends in /, unless the pattern just
        // doesn't have any more for it. But, a/b/ should *not*
        // match "a/b/*", even though * can match "", except in
        // partial mode, where it might simply not be reached yet.
        // However, a/b/ should still satisfy a/*
        // now either we fell off the end of the pattern, or we're done.
        if (fi === fl && pi === pl) {
            // ran out of pattern and filename at the same time.
            // an exact hit!
            return true;
        }
        else if (fi === fl) {
            // ran out of file, but still had pattern left.
            // this is ok if we're doing the match as part of
            // a glob fs traversal.
            return partial;
        }
        else if (pi === pl) {
            // ran out of pattern, still have file left.
            // this is only acceptable if we're on the very last
            // empty segment of a file with a trailing slash.
            // a/* should match a/b/
            return fi === fl - 1 && file[fi] === '';
            /* c8 ignore start */
        }
        else {
            // should be unreachable.
            throw new Error('wtf?');
        }
        /* c8 ignore stop */
    }
    braceExpand() {
        return braceExpand(this.pattern, this.options);
    }
    // Expand braces, except numeric ranges such as {0..999} with at
    // least RANGE_MIN values. Each of those stays in its pattern as
    // `<mark>0..999<mark>`, for the Matcher to test. If a range might
    // be inside a [...] class, expand all of them instead.
    #expandBraces() {
        const { pattern } = this;
        if (this.options.nobrace)
            return this.braceExpand();
        let code = 0xe000;
        while (pattern.includes(String.fromCharCode(code))) {
            if (++code > 0xf8ff)
                return this.braceExpand();
        }
        const mark = String.fromCharCode(code);
        let found = false;
        const marked = pattern.replace(rangeRe, (m, lo, hi) => {
            const a = Number(lo);
            const b = Number(hi);
            if (!Number.isSafeInteger(a) ||
                !Number.isSafeInteger(b) ||
                Math.abs(a - b) + 1 < RANGE_MIN) {
                return m;
            }
            found = true;
            return `${mark}${lo}..${hi}${mark}`;
        });
        if (!found)
            return this.braceExpand();
        const set = braceExpand(marked, this.options);
        for (const p of set) {
            for (const portion of p.split('/')) {
                const c = portion.indexOf('[');
                if (c !== -1 && c < portion.lastIndexOf(mark)) {
                    return this.braceExpand();
                }
                if (!this.options.noext && inRepeatOrNegExt(portion, mark)) {
                    return this.braceExpand();
                }
            }
        }
        this.#rangeMark = mark;
        return set;
    }
    parse(pattern) {
        assertValidPattern(pattern);
        const options = this.options;
        // shortcuts
        if (pattern === '**')
            return GLOBSTAR;
        if (pattern === '')
            return '';
        const { nocase, nocaseMagicOnly, noext = false, dot, normalize, } = options;
        const rangeMark = this.#rangeMark;
        const lit = rangeMark && pattern.includes(rangeMark) ?
            undefined
            : literal(pattern, noext);
        // in nocase mode, a literal with cased chars still needs a
        // Matcher, unless nocaseMagicOnly is set.
        if (lit !== undefined &&
            !(nocase &&
                !nocaseMagicOnly &&
                pattern.toUpperCase() !== pattern.toLowerCase())) {
            return this.#norm(lit);
        }
        if (this.#pending)
            return PENDING;
        let m = this.#matchers.get(pattern);
        if (!m) {
            if (!noext)
                assertValidExtglobs(pattern);
            m = new Matcher(pattern, {
                nocase,
                noext,
                dot,
                normalize,
                ...(rangeMark && { rangeMark }),
            });
            this.#matchers.set(pattern, m);
        }
        return m;
    }
    #slashSplit(p) {
        // if p starts with // on windows, we preserve that
        // so that UNC paths aren't broken.  Otherwise, any number of
        // / characters are coalesced into one, unless
        // preserveMultipleSlashes is set to true.
        if (this.preserveMultipleSlashes) {
            return p.split('/');
        }
        else if (this.isWindows && /^\/\/[^/]+/.test(p)) {
            // add an extra '' for the one we lose
            return ['', ...p.split(/\/+/)];
        }
        else {
            return p.split(/\/+/);
        }
    }
    match(f, partial = this.partial) {
        // short-circuit in the case of busted things.
        // comments, etc.
        if (this.comment) {
            return false;
        }
        if (this.empty) {
            return f === '';
        }
        if (f === '/' && partial) {
            return true;
        }
        const options = this.options;
        // treat the test path as a set of pathparts. If it was not just
        // split or checked, check that it can match before splitting it.
        let split = this.#cachedSplit(f);
        if (!split) {
            // the checks look at the path as given, so not if it is
            // normalized
            if (!partial &&
                !this.#form &&
                (this.#endCheck || this.#literalCheck) &&
                lastChecked !== f) {
                lastChecked = f;
                const can = this.#canMatch(f);
                if (can === 'no')
                    return options.flipNegate ? false : this.negate;
                if (can === 'yes')
                    return options.flipNegate ? true : !this.negate;
            }
            split = this.#split(f);
        }
        const ff = split.parts;
        // the parts after level 2 resolves them, kept for the next pattern
        // that tests the same path
        const resolved = this.#level2 ?
            (split.resolved ??= this.#levelTwoFileOptimize(ff))
            : ff;
        // just ONE of the pattern sets in this.set needs to match
        // in order for it to be valid.  If negating, then just one
        // match means that we have failed.
        // Either way, return on the first hit.
        const set = this.set;
        // Find the basename of the path by looking for the last non-empty segment
        let filename = ff[ff.length - 1];
        if (!filename) {
            for (let i = ff.length - 2; !filename && i >= 0; i--) {
                filename = ff[i];
            }
        }
        for (let r = 0; r < set.length; r++) {
            const pattern = set[r];
            const shape = partial ? undefined : this.#shapes[r];
            // level 2 does not change a path of one portion
            const hit = shape === 'base' ?
                portionMatch(pattern[0], filename)
                : shape ? this.#matchShape(resolved, pattern, shape)
                    : options.matchBase && pattern.length === 1 ?
                        this.#matchRow([filename], [filename], pattern, partial)
                        : this.#matchRow(ff, resolved, pattern, partial);
            if (hit) {
                if (options.flipNegate) {
                    return true;
                }
                return !this.negate;
            }
        }
        // didn't get any hits.  this is success if it's a negative
        // pattern, failure otherwise.
        if (options.flipNegate) {
            return false;
        }
        return this.negate;
    }
    static defaults(def) {
        return minimatch.defaults(def).Minimatch;
    }
}
/* c8 ignore start */


/* c8 ignore stop */
minimatch.Minimatch = Minimatch;
minimatch.escape = escape_escape;
minimatch.unescape = unescape_unescape;
//# sourceMappingURL=index.js.map
;// CONCATENATED MODULE: ./build/src/rules/ignored-file.js
/**
 * `ignored-file`: a file in the migrations folder that looks like a migration but that wrangler never
 * runs. Discovery (src/migrations/discover.ts) emits it, because only discovery sees the names wrangler
 * filters out; this module holds the judgement so it can be tested on names alone.
 */
const ignored_file_RULE_ID = 'ignored-file';
/**
 * Why wrangler skips `name` although it looks like a migration, or null when it is plainly not one
 * (`README.md`, `meta/_journal.json`, a `.sqlite` database file).
 *
 * @param migrationsDir the folder as shown to the user (relative to the working directory)
 * @param pattern `migrations_pattern` when one is set (then the name did not match it)
 */
function ignoredFileReason(name, migrationsDir, pattern) {
    const where = `${migrationsDir}/`;
    const skipped = pattern === undefined ? 'wrangler only runs names ending in lower-case ".sql"' : `it does not match migrations_pattern "${pattern}"`;
    if (pattern !== undefined && name.endsWith('.sql')) {
        return `${skipped}, so wrangler does not apply it. Move it into the layout the pattern expects, or out of ${where}.`;
    }
    if (/\.sql$/i.test(name)) {
        return `its extension is "${name.slice(-4)}": ${skipped}, so it is silently skipped. Rename it to end in ".sql" if it is a migration.`;
    }
    // `.sql.bak`, `.sql.txt`, `.sql~`, `.sql_old`: a copy someone meant to keep out of the run (or forgot to rename back).
    if (/\.sql[.~_-]/i.test(name)) {
        return `its name goes on after ".sql" (a backup or disabled copy?): ${skipped}, so it is never applied. Move it out of ${where} if it is a leftover, or rename it to end in ".sql" if it should run.`;
    }
    // Numbered like a migration but with another extension (`0004_add_users.psql`, `0005_seed`); notes are fine.
    if (/^\d+_/.test(name) && !/\.(md|markdown|txt|json|ya?ml|toml|sqlite3?|db)$/i.test(name)) {
        return `it is numbered like a migration but ${skipped}, so it is never applied. Rename it to end in ".sql" if it should run, or move it out of ${where}.`;
    }
    return null;
}

;// CONCATENATED MODULE: ./build/src/migrations/order.js
/**
 * The two apply orders wrangler has used. Both are reproduced by running the same comparator with
 * the same (stable, TimSort) Array.prototype.sort that wrangler runs on, so even the undefined cases
 * (a name without a number compares "equal" to everything in 4.86) land exactly where wrangler puts them.
 */
/** Leading number as wrangler 4.86 reads it: `parseInt(name.split("_")[0])` (no radix), null for NaN. */
function wrangler486Number(name) {
    // No radix on purpose: wrangler 4.86 omits it, so `0x1f_a.sql` is 31 there.
    const n = parseInt(name.split('_')[0]);
    return Number.isNaN(n) ? null : n;
}
/** The leading digits as written (`0001`), or null. */
function leadingDigits(name) {
    const m = /^\d+/.exec(name);
    return m === null ? null : m[0];
}
/**
 * wrangler 4.86 apply order: `getMigrationNames` returns `names.toSorted()` (UTF-16 code-unit order),
 * then apply.ts sorts by `parseInt(name.split("_")[0])` with a comparator that returns 0 for ties
 * and for NaN (`NaN < x` and `NaN > x` are both false).
 */
function wrangler486Order(names) {
    return [...names].sort(codeUnitCompare).sort((a, b) => {
        // Verbatim from wrangler 4.86 apply.ts (no radix, NaN compares equal to everything).
        const numberA = parseInt(a.split('_')[0]);
        const numberB = parseInt(b.split('_')[0]);
        if (numberA < numberB)
            return -1;
        if (numberA > numberB)
            return 1;
        return 0;
    });
}
/** Default `Array.prototype.sort()`/`toSorted()` order for strings. */
function codeUnitCompare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
/**
 * Newest wrangler's `compareMigrationPaths` (d1/migrations/helpers.ts, since 4.98): segment by segment,
 * the leading integer (radix 10) numerically, numbered before unnumbered, then code-unit order.
 */
function compareMigrationPaths(a, b) {
    const aSegments = a.split('/');
    const bSegments = b.split('/');
    const shared = Math.min(aSegments.length, bSegments.length);
    for (let i = 0; i < shared; i++) {
        const cmp = compareSegments(aSegments[i], bSegments[i]);
        if (cmp !== 0)
            return cmp;
    }
    return aSegments.length - bSegments.length;
}
function compareSegments(a, b) {
    const aNum = newestNumber(a);
    const bNum = newestNumber(b);
    if (aNum !== bNum) {
        if (Number.isFinite(aNum) && Number.isFinite(bNum))
            return aNum - bNum;
        if (Number.isFinite(aNum))
            return -1;
        if (Number.isFinite(bNum))
            return 1;
    }
    return codeUnitCompare(a, b);
}
// wrangler applies this to each segment it compares; for a segment the "first segment" is itself.
function newestNumber(segment) {
    return parseInt(segment.split('/')[0].split('_')[0], 10);
}
/** Newest wrangler apply order (compareMigrationPaths). */
function newestWranglerOrder(names) {
    return [...names].sort(compareMigrationPaths);
}

;// CONCATENATED MODULE: ./build/src/migrations/discover.js










/**
 * Files wrangler would list but cannot run (a directory named `x.sql`, a dangling link, unreadable,
 * binary or non-UTF-8 content) are reported as `unreadable-file`.
 */
const UNREADABLE_RULE = 'unreadable-file';
/**
 * The migrations of one database exactly as wrangler sees them: which files, their recorded names and
 * the order `wrangler d1 migrations apply` runs them on an empty database.
 *
 * Without `migrations_pattern` this is wrangler 4.86: every directory entry whose name ends in `.sql`
 * (case-sensitive, not recursive, hidden files and symlinks included), ordered by wrangler486Order.
 * With a pattern (wrangler >= 4.98 only) it walks like newest wrangler's listFilesRelative: regular
 * files matching the minimatch glob, named relative to migrations_dir, ordered by compareMigrationPaths.
 *
 * Entries wrangler would list but choke on become error findings instead of exceptions; look-alikes
 * wrangler silently skips become `ignored-file` warnings.
 */
function discoverMigrations(target, cwd) {
    const ctx = new Context(target, external_node_path_.resolve(cwd));
    const listed = target.migrationsPattern === undefined ? ctx.listFlat() : ctx.listPattern(target.migrationsPattern);
    const order = target.migrationsPattern === undefined ? wrangler486Order(listed.map((e) => e.name)) : newestWranglerOrder(listed.map((e) => e.name));
    const byName = new Map(listed.map((e) => [e.name, e]));
    const files = [];
    for (const name of order) {
        const file = ctx.read(byName.get(name));
        if (file !== null)
            files.push(file);
    }
    return { files, findings: ctx.findings };
}
class Context {
    target;
    cwd;
    findings = [];
    realCwd;
    constructor(target, cwd) {
        this.target = target;
        this.cwd = cwd;
    }
    relPath(name) {
        return this.target.migrationsDir === '.' ? name : `${this.target.migrationsDir}/${name}`;
    }
    add(rule, name, message, line = 1) {
        const finding = {
            rule,
            severity: ruleInfo(rule).severity,
            message,
        };
        if (name !== undefined) {
            finding.file = this.relPath(name);
            finding.line = line;
        }
        this.findings.push(finding);
    }
    readDir(abs) {
        try {
            return external_node_fs_.readdirSync(abs, { withFileTypes: true });
        }
        catch (error) {
            throw new UsageError(`migrations-dir: cannot list the migrations directory ${abs} (database "${this.target.binding}"): ${getErrorMessage(error)}. ` +
                `wrangler would fail the same way. Check that it exists and is readable.`);
        }
    }
    /** wrangler 4.86 getMigrationNames: `opendirSync` + `dirent.name.endsWith(".sql")`. */
    listFlat() {
        const dir = this.target.migrationsDirAbs;
        const out = [];
        const numberedDirs = [];
        for (const dirent of this.readDir(dir)) {
            const name = dirent.name;
            const kind = kindOf(dirent);
            if (name.endsWith('.sql')) {
                out.push({ name, abs: external_node_path_.join(dir, name), kind });
                if (name.startsWith('.') && kind !== 'directory') {
                    this.add('ignored-file', name, `${this.relPath(name)} is a hidden file (its name starts with "."). wrangler 4.86 applies it like any other .sql file, ` +
                        `but wrangler 4.98 and later skip hidden files, so whether it runs depends on the wrangler version. Rename it without the leading "." or move it out of ${this.target.migrationsDir}/.`);
                }
                continue;
            }
            if (kind === 'directory') {
                if (/^\d+_/.test(name))
                    numberedDirs.push(name);
                continue;
            }
            this.checkLookAlike(name);
        }
        if (numberedDirs.length > 0)
            this.reportNumberedDirs(numberedDirs);
        return out;
    }
    /** Newest wrangler listFilesRelative: regular files only, pruned with minimatch's partial matching. */
    listPattern(pattern) {
        const root = this.target.migrationsDirAbs;
        const dirPrefix = normalizeRelativePath(this.target.migrationsDirSetting);
        const relativePattern = dirPrefix === '.' ? pattern : pattern.startsWith(`${dirPrefix}/`) ? pattern.slice(dirPrefix.length + 1) : pattern;
        const matcher = new Minimatch(relativePattern, { dot: false });
        const caseless = new Minimatch(relativePattern, { dot: false, nocase: true });
        const out = [];
        const stack = [{ abs: root, rel: '' }];
        while (stack.length > 0) {
            const { abs, rel } = stack.pop();
            // wrangler skips a subdirectory it cannot list; only the root must be readable.
            let entries;
            if (rel === '')
                entries = this.readDir(abs);
            else {
                try {
                    entries = external_node_fs_.readdirSync(abs, { withFileTypes: true });
                }
                catch {
                    continue;
                }
            }
            for (const dirent of entries) {
                const childRel = rel === '' ? dirent.name : `${rel}/${dirent.name}`;
                const childAbs = external_node_path_.join(abs, dirent.name);
                if (dirent.isDirectory()) {
                    if (matcher.match(childRel, true))
                        stack.push({ abs: childAbs, rel: childRel });
                }
                else if (dirent.isFile()) {
                    if (matcher.match(childRel))
                        out.push({ name: childRel, abs: childAbs, kind: 'file' });
                    else if (caseless.match(childRel))
                        this.add('ignored-file', childRel, `${this.relPath(childRel)} matches migrations_pattern "${pattern}" only when letter case is ignored; wrangler matches case-sensitively and skips it. Rename it to match the pattern exactly if it is a migration.`);
                    else if (rel === '')
                        this.checkLookAlike(childRel, pattern);
                }
                else if (dirent.isSymbolicLink() && matcher.match(childRel)) {
                    this.add('ignored-file', childRel, `${this.relPath(childRel)} is a symbolic link. It matches migrations_pattern "${pattern}", but wrangler only lists regular files and skips it. Replace the link with the file itself if it is a migration.`);
                }
            }
        }
        return out;
    }
    /** A non-`.sql` name that looks like a migration: wrangler skips it without a word. */
    checkLookAlike(name, pattern) {
        const why = ignoredFileReason(name, this.target.migrationsDir, pattern);
        if (why !== null)
            this.add('ignored-file', name, `${this.relPath(name)} is ignored by wrangler: ${why}`);
    }
    reportNumberedDirs(dirs) {
        const sorted = [...dirs].sort();
        const withMigrationSql = sorted.filter((d) => external_node_fs_.existsSync(external_node_path_.join(this.target.migrationsDirAbs, d, 'migration.sql')));
        const shown = sorted.slice(0, 5).join(', ') + (sorted.length > 5 ? `, … (${sorted.length} in all)` : '');
        const hint = withMigrationSql.length > 0
            ? `They hold migration.sql files (a prisma/drizzle folder layout). wrangler 4.98 and later can run them with ` +
                `migrations_pattern = "${normalizeRelativePath(`${this.target.migrationsDirSetting}/*/migration.sql`)}" (and migrations_dir = "${this.target.migrationsDirSetting}") on the D1 binding; older wrangler cannot.`
            : `If they hold migrations, move the .sql files up into ${this.target.migrationsDir}/ or set migrations_pattern (wrangler 4.98 and later).`;
        this.findings.push({
            rule: 'ignored-file',
            severity: ruleInfo('ignored-file').severity,
            message: `${this.target.migrationsDir}/ contains numbered folders (${shown}). wrangler does not look inside folders of the migrations directory, so nothing in them is applied. ${hint}`,
        });
    }
    /** Reads an entry the way wrangler does (`readFileSync(p, "utf8")`); a problem becomes a finding and null. */
    read(entry) {
        const shown = this.relPath(entry.name);
        if (entry.kind === 'directory') {
            this.add(UNREADABLE_RULE, entry.name, `${shown} is a directory whose name ends in ".sql". wrangler 4.86 lists it as a migration and then fails with "EISDIR: illegal operation on a directory" when it gets to it, so it and every later migration are never applied (wrangler 4.98 and later skip it). Rename the directory so its name does not end in ".sql", or move it out of ${this.target.migrationsDir}/.`);
            return null;
        }
        if (entry.kind === 'other') {
            this.add(UNREADABLE_RULE, entry.name, `${shown} is not a regular file (a FIFO, socket or device). wrangler would try to read it as a migration and hang or fail. Remove it from ${this.target.migrationsDir}/.`);
            return null;
        }
        if (entry.kind === 'symlink' && !this.checkSymlink(entry))
            return null;
        let buffer;
        try {
            buffer = external_node_fs_.readFileSync(entry.abs);
        }
        catch (error) {
            const code = error.code;
            const what = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : getErrorMessage(error);
            this.add(UNREADABLE_RULE, entry.name, `${shown} cannot be read (${code ?? 'error'}: ${what}). wrangler would fail with the same error when it reaches this migration, leaving it and every later one unapplied. Make the file readable (e.g. chmod a+r ${shown}).`);
            return null;
        }
        if (buffer.includes(0)) {
            const utf16 = buffer.length >= 2 && ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff));
            this.add(UNREADABLE_RULE, entry.name, utf16
                ? `${shown} is encoded as UTF-16 (it starts with a UTF-16 byte order mark). wrangler reads migrations as UTF-8, so D1 would receive unreadable SQL and the migration would fail. Re-save the file as UTF-8.`
                : `${shown} contains NUL bytes: it is binary, not SQL text (a database file or an archive with a .sql name?). wrangler would send it to D1 as text and the migration would fail. Move it out of ${this.target.migrationsDir}/.`);
            return null;
        }
        const sql = buffer.toString('utf8');
        if (!(0,external_node_buffer_namespaceObject.isUtf8)(buffer)) {
            const index = sql.indexOf('\uFFFD');
            const line = index < 0 ? 1 : countLines(sql, index);
            this.add(UNREADABLE_RULE, entry.name, `${shown} is not valid UTF-8 (first bad byte on line ${line}). wrangler reads it as UTF-8 and replaces each invalid byte with U+FFFD (�), so the SQL D1 runs differs from the file and text in string literals is stored corrupted. Re-save the file as UTF-8 (it is probably Latin-1 or Windows-1252).`, line);
        }
        const first = entry.name.split('/')[0];
        return {
            name: entry.name,
            path: entry.abs,
            relPath: shown,
            number: entry.name.includes('/') ? finiteOrNull(parseInt(first.split('_')[0], 10)) : wrangler486Number(entry.name),
            numberText: leadingDigits(first),
            sql,
            bytes: buffer.length,
        };
    }
    /** A symlink is only followed when its target exists, is a file and stays inside the working directory. */
    checkSymlink(entry) {
        const shown = this.relPath(entry.name);
        let real;
        try {
            real = external_node_fs_.realpathSync(entry.abs);
        }
        catch {
            let target = '?';
            try {
                target = external_node_fs_.readlinkSync(entry.abs);
            }
            catch {
                // keep '?': the link vanished between listing and reading
            }
            this.add(UNREADABLE_RULE, entry.name, `${shown} is a symbolic link to "${target}", which does not exist. wrangler 4.86 lists it and fails with ENOENT when it reaches it, so it and every later migration are never applied. Remove the link or restore the file it points to.`);
            return false;
        }
        this.realCwd ??= external_node_fs_.realpathSync(this.cwd);
        if (!isInside(this.realCwd, real)) {
            this.add(UNREADABLE_RULE, entry.name, `${shown} is a symbolic link to ${real}, outside the working directory ${this.realCwd}; it was not read. Replace the link with the migration file itself.`);
            return false;
        }
        if (external_node_fs_.statSync(real).isDirectory()) {
            this.add(UNREADABLE_RULE, entry.name, `${shown} is a symbolic link to a directory. wrangler 4.86 lists it as a migration and fails with "EISDIR: illegal operation on a directory" when it reaches it. Remove the link or rename it so it does not end in ".sql".`);
            return false;
        }
        this.add('ignored-file', entry.name, `${shown} is a symbolic link. wrangler 4.86 applies the file it points to, but wrangler 4.98 and later list only regular files and skip it, so whether it runs depends on the wrangler version. Replace the link with a copy of the file.`);
        return true;
    }
}
function kindOf(dirent) {
    if (dirent.isFile())
        return 'file';
    if (dirent.isSymbolicLink())
        return 'symlink';
    if (dirent.isDirectory())
        return 'directory';
    return 'other';
}
function finiteOrNull(n) {
    return Number.isNaN(n) ? null : n;
}
function countLines(text, index) {
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1))
        line++;
    return line;
}

;// CONCATENATED MODULE: ./build/src/migrations/describe.js
/** `1st`, `2nd`, `3rd`, `11th`, `22nd`. */
function ordinal(n) {
    const tens = n % 100;
    if (tens >= 11 && tens <= 13)
        return `${n}th`;
    switch (n % 10) {
        case 1:
            return `${n}st`;
        case 2:
            return `${n}nd`;
        case 3:
            return `${n}rd`;
        default:
            return `${n}th`;
    }
}
/** "applied 3rd of 10, after 0002_b.sql and before 0004_d.sql" for `files[index]` (files in apply order). */
function describePosition(files, index) {
    const parts = [`${ordinal(index + 1)} of ${files.length}`];
    const around = [];
    if (index > 0)
        around.push(`after ${files[index - 1].name}`);
    if (index < files.length - 1)
        around.push(`before ${files[index + 1].name}`);
    if (around.length > 0)
        parts.push(around.join(' and '));
    return parts.join(', ');
}
/** The next unused number, padded to the width the set uses (`0007` after `0006_x.sql`). */
function nextFreeNumber(files) {
    let max = 0;
    let width = 4;
    let sawNumber = false;
    for (const f of files) {
        if (f.number === null || f.numberText === null)
            continue;
        if (!sawNumber || f.number >= max) {
            max = f.number;
            width = f.numberText.length;
            sawNumber = true;
        }
    }
    const next = String(sawNumber ? max + 1 : 1);
    return next.length >= width ? next : next.padStart(width, '0');
}

;// CONCATENATED MODULE: ./build/src/rules/ambiguous-order.js



const ambiguous_order_RULE_ID = 'ambiguous-order';
/**
 * Where the apply order is not what a reader of the folder would expect, or not defined:
 *  - a name without a leading number (wrangler 4.86's comparator calls it equal to everything);
 *  - numbers of mixed width whose numeric order differs from name order (`9_a.sql` runs before
 *    `10_b.sql`, though `10_b.sql` is listed first by `ls`, GitHub and 4.86's `migrations list`);
 *  - wrangler 4.86 and newest wrangler applying the same files in different orders.
 * Each message states the order wrangler actually applies.
 *
 * @param files in apply order
 * @param source which wrangler's order `files` is in; inferred when omitted
 */
function checkAmbiguousOrder(files, source) {
    if (files.length < 2)
        return [];
    const names = files.map((f) => f.name);
    const old = wrangler486Order(names);
    const newest = newestWranglerOrder(names);
    const src = source ?? (sameOrder(names, old) ? 'wrangler-4.86' : 'newest');
    const findings = [];
    const reported = new Set();
    // 1. Names without a number.
    const newestIndex = new Map(newest.map((n, i) => [n, i]));
    files.forEach((f, index) => {
        if (f.number !== null)
            return;
        reported.add(f.name);
        let versions = '';
        if (src === 'wrangler-4.86') {
            const ni = newestIndex.get(f.name);
            versions =
                ni === index
                    ? ' wrangler 4.98 and later apply it at the same position (after the numbered files, by name).'
                    : ` wrangler 4.98 and later apply it ${ordinal(ni + 1)} instead (after every numbered file, by name), so the order depends on the wrangler version.`;
        }
        findings.push({
            rule: ambiguous_order_RULE_ID,
            severity: ruleInfo(ambiguous_order_RULE_ID).severity,
            file: f.relPath,
            line: 1,
            message: `${f.name} has no leading number, so its place in the apply order is not defined by its name: ` +
                `wrangler ${src === 'wrangler-4.86' ? '4.86 ' : ''}applies it ${describePosition(files, index)}, ` +
                `only because ${src === 'wrangler-4.86' ? "its comparator treats a missing number as equal to every other file, so the position is an artefact of the sort" : 'unnumbered files sort after numbered ones'}.${versions} ` +
                `Give it a number (NNNN_name.sql) where it must run, or move it out of the folder if it is not a migration.`,
        });
    });
    // 2. Numbered files whose apply position disagrees with name order (mixed-width numbers).
    const byName = [...names].sort(codeUnitCompare);
    if (!sameOrder(names, byName)) {
        const nameRank = new Map(byName.map((n, i) => [n, i]));
        const keep = longestIncreasingRun(names.map((n) => nameRank.get(n)));
        files.forEach((f, index) => {
            if (keep.has(index) || reported.has(f.name))
                return;
            reported.add(f.name);
            const rank = nameRank.get(f.name);
            const nameNeighbour = rank + 1 < byName.length ? `before ${byName[rank + 1]}` : `after ${byName[rank - 1]}`;
            findings.push({
                rule: ambiguous_order_RULE_ID,
                severity: ruleInfo(ambiguous_order_RULE_ID).severity,
                file: f.relPath,
                line: 1,
                message: `${f.name} is listed ${ordinal(rank + 1)} by name (${nameNeighbour}), but wrangler applies it ${describePosition(files, index)}: ` +
                    `wrangler orders by the number before the first "_" (${f.numberText ?? f.number}), not by name, and the numbers have different widths. ` +
                    `ls, editors, GitHub and wrangler 4.86's \`migrations list\` therefore show a different order from the one apply uses. ` +
                    `Pad every number to the same width (e.g. ${ambiguous_order_pad(f)}), renaming only files no database has applied yet.`,
            });
        });
    }
    // 3. The two wrangler versions disagree for another reason (e.g. `0x10_a.sql`: 4.86 parses hex).
    if (src === 'wrangler-4.86' && !sameOrder(old, newest)) {
        const k = old.findIndex((n, i) => n !== newest[i]);
        const f = files[k];
        if (!reported.has(f.name)) {
            findings.push({
                rule: ambiguous_order_RULE_ID,
                severity: ruleInfo(ambiguous_order_RULE_ID).severity,
                file: f.relPath,
                line: 1,
                message: `wrangler 4.86 and wrangler 4.98+ apply these migrations in different orders: 4.86 applies ${old[k]} ${ordinal(k + 1)}, ` +
                    `4.98+ applies ${newest[k]} there (4.86 reads the number with parseInt without a radix, e.g. "0x10" is 16). ` +
                    `wrangler 4.86 order: ${old.join(', ')}. Rename the files to plain NNNN_name.sql so every wrangler agrees.`,
            });
        }
    }
    return findings;
}
function sameOrder(a, b) {
    return a.length === b.length && a.every((n, i) => n === b[i]);
}
function ambiguous_order_pad(f) {
    if (f.numberText === null)
        return '0001_name.sql';
    const width = Math.max(4, f.numberText.length);
    return `${f.numberText.padStart(width, '0')}${f.name.slice(f.numberText.length)}`;
}
/**
 * Indexes of one longest strictly increasing subsequence of `values` (patience sorting, O(n log n)):
 * the largest set of files whose apply order already agrees with name order. Only the rest are reported,
 * so one `10_x.sql` among `1..9` yields one finding, not ten.
 */
function longestIncreasingRun(values) {
    const tails = [];
    const prev = new Array(values.length).fill(-1);
    for (let i = 0; i < values.length; i++) {
        let lo = 0;
        let hi = tails.length;
        while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (values[tails[mid]] < values[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > 0)
            prev[i] = tails[lo - 1];
        tails[lo] = i;
    }
    const keep = new Set();
    for (let i = tails.length > 0 ? tails[tails.length - 1] : -1; i !== -1; i = prev[i])
        keep.add(i);
    return keep;
}

;// CONCATENATED MODULE: ./build/src/rules/bad-filename.js


const bad_filename_RULE_ID = 'bad-filename';
const FLAT_NAME = /^\d+_.+\.sql$/;
// With migrations_pattern the number belongs to the first path segment (`0001_init/migration.sql`).
const NESTED_FIRST_SEGMENT = /^\d+_./;
/** True when `name` follows wrangler's own `NNNN_name.sql` convention (`wrangler d1 migrations create`). */
function followsConvention(name) {
    const slash = name.indexOf('/');
    return slash < 0 ? FLAT_NAME.test(name) : NESTED_FIRST_SEGMENT.test(name.slice(0, slash));
}
/**
 * A `.sql` file wrangler will run whose name is not `NNNN_name.sql`: typically a template, seed or
 * rollback script kept next to the migrations, which wrangler applies like any other file.
 *
 * @param files in apply order
 */
function checkBadFilenames(files) {
    const findings = [];
    const dir = files.length > 0 ? folderOf(files[0]) : '';
    const next = nextFreeNumber(files);
    files.forEach((f, index) => {
        if (followsConvention(f.name))
            return;
        const numberNote = f.number === null
            ? `Its name has no leading number, so wrangler's sort treats it as equal to every other file and its place is an accident of the sort algorithm (wrangler 4.98 and later run it after every numbered file).`
            : `wrangler reads its number as ${f.number} (parseInt of the text before the first "_").`;
        findings.push({
            rule: bad_filename_RULE_ID,
            severity: ruleInfo(bad_filename_RULE_ID).severity,
            file: f.relPath,
            line: 1,
            message: `${f.name} does not follow the NNNN_name.sql naming, but wrangler WILL run it: every .sql file in ${dir} is a migration. ` +
                `wrangler applies it ${describePosition(files, index)}. ${numberNote} ` +
                `If it is not a migration (a template, seed, notes or rollback script), move it out of ${dir}; ` +
                `if it is, rename it to ${next}_<description>.sql (unless a database has already applied it under this name).`,
        });
    });
    return findings;
}
function folderOf(f) {
    const suffix = `/${f.name}`;
    return f.relPath.endsWith(suffix) ? `${f.relPath.slice(0, -suffix.length)}/` : 'the migrations folder';
}

;// CONCATENATED MODULE: ./build/src/rules/duplicate-number.js


const duplicate_number_RULE_ID = 'duplicate-number';
/**
 * Files that share a leading number. wrangler does not reject them: it applies every one, ordered by
 * name among themselves, which is rarely the order the authors meant (each wrote "0001" on their branch).
 * Numbers compare as wrangler compares them (parsed integers), so `01_a.sql` and `1_b.sql` collide.
 *
 * @param files in apply order
 */
function checkDuplicateNumbers(files) {
    const groups = new Map();
    for (const f of files) {
        if (f.number === null)
            continue;
        const group = groups.get(f.number);
        if (group === undefined)
            groups.set(f.number, [f]);
        else
            group.push(f);
    }
    const findings = [];
    const next = nextFreeNumber(files);
    for (const [number, group] of groups) {
        if (group.length < 2)
            continue;
        const order = group.map((f) => f.name).join(' before ');
        const texts = [...new Set(group.map((f) => f.numberText ?? String(number)))];
        const sameNumber = texts.length > 1
            ? ` (${texts.map((t) => `"${t}"`).join(' and ')} are the same number to wrangler: it sorts by the parsed number, not the text)`
            : '';
        for (const f of group) {
            const others = group.filter((g) => g !== f).map((g) => g.name);
            findings.push({
                rule: duplicate_number_RULE_ID,
                severity: ruleInfo(duplicate_number_RULE_ID).severity,
                file: f.relPath,
                line: 1,
                message: `${f.name} has the same number, ${number}, as ${others.join(', ')}${sameNumber}. ` +
                    `wrangler applies both, in name order: wrangler applies ${order}. ` +
                    `If that is not the order they must run in (e.g. one uses a table the other creates), a fresh database fails or ends up different. ` +
                    `Renumber so every file has its own number in the order they must run (the next free number is ${next}); ` +
                    `do not rename a file that a database has already applied, since wrangler tracks files by name and would apply it again.`,
            });
        }
    }
    return findings;
}

;// CONCATENATED MODULE: ./build/src/rules/number-gap.js

const number_gap_RULE_ID = 'number-gap';
/**
 * A number missing between two present ones in a sequential series (a file lost in a merge, renamed, or
 * still on another branch, which would then run out of order). The first number may be anything:
 * drizzle starts at 0000 and a squashed history may start at 0020.
 *
 * @param files in apply order
 */
function checkNumberGaps(files) {
    const firstWithNumber = new Map();
    for (const f of files) {
        if (f.number !== null && !firstWithNumber.has(f.number))
            firstWithNumber.set(f.number, f);
    }
    const numbers = [...firstWithNumber.keys()].sort((a, b) => a - b);
    const findings = [];
    for (let i = 1; i < numbers.length; i++) {
        const before = numbers[i - 1];
        const after = numbers[i];
        if (after - before <= 1)
            continue;
        const prev = firstWithNumber.get(before);
        const file = firstWithNumber.get(after);
        const missingCount = after - before - 1;
        const missing = missingCount === 1 ? `number ${before + 1} is` : `numbers ${before + 1} to ${after - 1} (${missingCount}) are`;
        const timestamps = (prev.numberText?.length ?? 0) >= 8 && (file.numberText?.length ?? 0) >= 8
            ? ' These names look like timestamps, where gaps are normal: set numbering to "unique" to check only for duplicates.'
            : ' If the gap is intended, set numbering to "unique" to check only for duplicates.';
        findings.push({
            rule: number_gap_RULE_ID,
            severity: ruleInfo(number_gap_RULE_ID).severity,
            file: file.relPath,
            line: 1,
            message: `Migration ${missing} missing between ${prev.name} and ${file.name}. ` +
                `In a sequential series that usually means a file was lost, renamed, or is still on another branch; ` +
                `wrangler applies whatever is present, so a missing file that arrives later runs after ${file.name}, out of order. ` +
                `Restore the missing migration or renumber.${timestamps}`,
        });
    }
    return findings;
}

;// CONCATENATED MODULE: ./build/src/rules/filename-rules.js




/**
 * The rules that look only at names and order. `ignored-file` is not here: it concerns files that
 * never reach this list, so discovery reports it.
 *
 * @param files in wrangler's apply order (MigrationSet.files)
 * @param numbering `sequential`: unique numbers, no gaps; `unique`: no duplicates (timestamps);
 *   `off`: no naming rules at all, only the order warnings
 */
function checkFilenames(files, numbering, options = {}) {
    const findings = [];
    if (numbering !== 'off') {
        findings.push(...checkDuplicateNumbers(files));
        if (numbering === 'sequential')
            findings.push(...checkNumberGaps(files));
        findings.push(...checkBadFilenames(files));
    }
    findings.push(...checkAmbiguousOrder(files, options.orderSource));
    return findings;
}

;// CONCATENATED MODULE: ./build/src/rules/util.js

/** A finding for `rule` at a token (or statement) of a parsed migration; severity comes from the catalog. */
function findingAt(rule, pm, at, message) {
    return { rule, severity: ruleInfo(rule).severity, file: pm.file.relPath, line: at.line, column: at.column, message };
}
function util_isWord(tok, ...upper) {
    return tok !== undefined && tok.kind === 'word' && upper.includes(tok.value);
}
function util_isPunct(tok, text) {
    return tok !== undefined && tok.kind === 'punct' && tok.text === text;
}
const util_NAME_KINDS = new Set(['word', 'dquoted', 'bracketed', 'backticked', 'string']);
/** The name a token denotes, as SQLite resolves it (unquoted); undefined when the token cannot be a name. */
function nameOf(tok) {
    if (!tok || !util_NAME_KINDS.has(tok.kind))
        return undefined;
    return tok.kind === 'word' ? tok.text : tok.value;
}
/** Read `[schema .] name` starting at tokens[i]. */
function readName(tokens, i) {
    const first = nameOf(tokens[i]);
    if (first === undefined)
        return undefined;
    if (util_isPunct(tokens[i + 1], '.')) {
        const second = nameOf(tokens[i + 2]);
        if (second !== undefined)
            return { schema: first, name: second, tok: tokens[i + 2], next: i + 3 };
    }
    return { name: first, tok: tokens[i], next: i + 1 };
}
/** Index of the statement's verb, skipping `EXPLAIN [QUERY PLAN]`. */
function verbIndex(stmt) {
    const t = stmt.tokens;
    if (!util_isWord(t[0], 'EXPLAIN'))
        return 0;
    return util_isWord(t[1], 'QUERY') && util_isWord(t[2], 'PLAN') ? 3 : 1;
}
function verb(stmt) {
    const tok = stmt.tokens[verbIndex(stmt)];
    return tok && tok.kind === 'word' ? tok.value : '';
}
/** Skip `IF EXISTS` / `IF NOT EXISTS` at tokens[i]. */
function skipIfExists(tokens, i) {
    if (!util_isWord(tokens[i], 'IF'))
        return i;
    if (util_isWord(tokens[i + 1], 'NOT') && util_isWord(tokens[i + 2], 'EXISTS'))
        return i + 3;
    return util_isWord(tokens[i + 1], 'EXISTS') ? i + 2 : i;
}
/** True when a word appears outside any parentheses from index `from` on. */
function hasTopLevelWord(tokens, from, upper) {
    let depth = 0;
    for (let i = from; i < tokens.length; i++) {
        const t = tokens[i];
        if (t.kind === 'punct') {
            if (t.text === '(')
                depth++;
            else if (t.text === ')')
                depth--;
        }
        else if (depth === 0 && t.kind === 'word' && t.value === upper)
            return true;
    }
    return false;
}
/** A short one-line excerpt of a statement for messages. */
function excerpt(stmt, max = 60) {
    const flat = stmt.tokens.map((t) => t.text).join(' ').replace(/\s+/g, ' ').replace(/ ([,;)]) ?/g, '$1 ').replace(/\( /g, '(').trim();
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
/** Show a name in a message as SQL would write it. */
function quoteName(name) {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

;// CONCATENATED MODULE: ./build/src/rules/destructive-change.js

const ID = 'destructive-change';
const SUPPRESS = 'If this is intended, add `-- d1-migrate-ignore: destructive-change` on the line above.';
/** `ALTER TABLE a RENAME TO b` statements of a file, by statement index. */
function renames(pm) {
    const out = [];
    pm.statements.forEach((stmt, index) => {
        const t = stmt.tokens;
        const i = verbIndex(stmt);
        if (verb(stmt) !== 'ALTER' || !util_isWord(t[i + 1], 'TABLE'))
            return;
        const from = readName(t, i + 2);
        if (!from || !util_isWord(t[from.next], 'RENAME') || !util_isWord(t[from.next + 1], 'TO'))
            return;
        const to = readName(t, from.next + 2);
        if (to)
            out.push({ from: from.name.toLowerCase(), fromName: from.name, to: to.name.toLowerCase(), index });
    });
    return out;
}
/**
 * A table rebuild is reported once, at its DROP: either `CREATE new_t; INSERT INTO new_t SELECT ... FROM t;
 * DROP TABLE t; ALTER TABLE new_t RENAME TO t` (drizzle-kit, prisma) or `ALTER TABLE t RENAME TO t_old;
 * CREATE TABLE t ...; INSERT ...; DROP TABLE t_old`.
 */
function rebuildOf(table, index, all) {
    const key = table.toLowerCase();
    if (all.some((r) => r.to === key && r.index > index))
        return table;
    return all.find((r) => r.to === key && r.index < index)?.fromName;
}
function checkStatement(pm, stmt, index, all, out) {
    const t = stmt.tokens;
    const i = verbIndex(stmt);
    const at = (tok, message) => {
        out.push(findingAt(ID, pm, tok, `${message} ${SUPPRESS}`));
    };
    switch (verb(stmt)) {
        case 'DROP': {
            if (!util_isWord(t[i + 1], 'TABLE'))
                return;
            const name = readName(t, skipIfExists(t, i + 2));
            if (!name)
                return;
            const table = quoteName(name.name);
            const rebuilt = rebuildOf(name.name, index, all);
            if (rebuilt !== undefined) {
                at(stmt, `Table rebuild of \`${quoteName(rebuilt)}\` (copy into a new table, \`DROP TABLE ${table}\`, rename): rows survive only in the columns the INSERT ... SELECT copies, and on D1, where foreign keys are always on, dropping a table that other tables reference deletes or nulls their rows (ON DELETE CASCADE / SET NULL) or fails. Check the copied columns and the tables that reference it.`);
            }
            else {
                at(stmt, `\`DROP TABLE ${table}\` deletes the table and all its rows, and D1 cannot undo it except by a Time Travel restore of the whole database. Make sure nothing still reads it and its data is no longer needed (or back it up first).`);
            }
            return;
        }
        case 'ALTER': {
            if (!util_isWord(t[i + 1], 'TABLE'))
                return;
            const name = readName(t, i + 2);
            if (!name || !util_isWord(t[name.next], 'DROP'))
                return;
            const colTok = util_isWord(t[name.next + 1], 'COLUMN') ? t[name.next + 2] : t[name.next + 1];
            const col = colTok ? (colTok.kind === 'word' ? colTok.text : colTok.value) : '?';
            at(t[name.next], `\`ALTER TABLE ${quoteName(name.name)} DROP COLUMN ${quoteName(col)}\` deletes that column's data for every row. Deploy code that no longer uses the column first, and back up the data if it may be needed.`);
            return;
        }
        case 'DELETE':
            if (!hasTopLevelWord(t, i, 'WHERE')) {
                const name = readName(t, i + 2);
                at(stmt, `\`DELETE FROM ${name ? quoteName(name.name) : '...'}\` has no WHERE clause and deletes every row. Add a WHERE clause.`);
            }
            return;
        case 'UPDATE':
            if (!hasTopLevelWord(t, i, 'WHERE')) {
                const name = readName(t, util_isWord(t[i + 1], 'OR') ? i + 3 : i + 1);
                at(stmt, `\`UPDATE ${name ? quoteName(name.name) : '...'}\` has no WHERE clause and overwrites every row. Add a WHERE clause.`);
            }
            return;
    }
}
const destructiveChange = {
    id: ID,
    check(ctx) {
        const out = [];
        for (const pm of ctx.migrations) {
            const all = renames(pm);
            pm.statements.forEach((stmt, index) => checkStatement(pm, stmt, index, all, out));
        }
        return out;
    },
};

;// CONCATENATED MODULE: ./build/src/rules/empty-migration.js

const empty_migration_ID = 'empty-migration';
const emptyMigration = {
    id: empty_migration_ID,
    check(ctx) {
        const out = [];
        for (const pm of ctx.migrations) {
            if (!pm.empty)
                continue;
            const what = pm.comments.length > 0 ? 'has only comments' : 'has no SQL';
            out.push(findingAt(empty_migration_ID, pm, { line: 1, column: 1 }, `Migration ${pm.file.name} ${what}. wrangler applies it and records it as applied, so SQL added to this file later never runs on databases that already applied it. Add the SQL now, or delete the file.`));
        }
        return out;
    },
};

;// CONCATENATED MODULE: ./build/src/rules/pragma.js

/** Parse `PRAGMA [schema.]name [= value | (value)]`; undefined when the statement is not a PRAGMA. */
function parsePragma(stmt) {
    const t = stmt.tokens;
    let i = verbIndex(stmt);
    if (!util_isWord(t[i], 'PRAGMA'))
        return undefined;
    i++;
    let schema;
    let nameTok = t[i];
    if (util_isPunct(t[i + 1], '.')) {
        schema = nameOf(t[i]);
        nameTok = t[i + 2];
        i += 2;
    }
    const name = nameOf(nameTok);
    if (!nameTok || name === undefined)
        return undefined;
    i++;
    let value = null;
    if (util_isPunct(t[i], '=') || util_isPunct(t[i], '(')) {
        const rest = t.slice(i + 1).filter((tok) => !util_isPunct(tok, ')'));
        value = rest.map((tok) => (tok.kind === 'word' || tok.kind === 'punct' || tok.kind === 'number' ? tok.text : tok.value)).join('');
    }
    return { schema, name, nameTok, value };
}

;// CONCATENATED MODULE: ./build/src/rules/foreign-keys-pragma.js


const foreign_keys_pragma_ID = 'foreign-keys-pragma';
const OFF = new Set(['OFF', 'FALSE', 'NO', '0']);
const foreignKeysPragma = {
    id: foreign_keys_pragma_ID,
    check(ctx) {
        const out = [];
        for (const pm of ctx.migrations) {
            for (const stmt of pm.statements) {
                const p = parsePragma(stmt);
                // Reading the setting (`PRAGMA foreign_keys;`) is harmless; only setting it is misleading.
                if (!p || p.name.toLowerCase() !== 'foreign_keys' || p.value === null)
                    continue;
                const value = p.value.replace(/^['"]|['"]$/g, '');
                const turnsOff = OFF.has(value.toUpperCase());
                const message = turnsOff
                    ? `\`PRAGMA foreign_keys = ${value}\` has no effect on D1: D1 always enforces foreign keys and runs each migration inside a transaction, where SQLite ignores this pragma. To defer foreign key checks to the end of the migration use \`PRAGMA defer_foreign_keys = on\` instead — but deferring does not stop ON DELETE CASCADE / SET NULL: in a table rebuild, DROP TABLE of a referenced table still deletes or nulls the child rows.`
                    : `\`PRAGMA foreign_keys = ${value}\` has no effect on D1: foreign keys are always enforced there. Remove it (if it re-enables checks after a \`foreign_keys = OFF\`, that OFF did nothing either; use \`PRAGMA defer_foreign_keys = on\` to defer checks, which still does not stop ON DELETE CASCADE).`;
                out.push(findingAt(foreign_keys_pragma_ID, pm, stmt, message));
            }
        }
        return out;
    },
};

;// CONCATENATED MODULE: ./build/src/rules/columns.js

const TABLE_CONSTRAINT = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);
/** Column definitions of `CREATE TABLE ... (...)` and `ALTER TABLE ... ADD [COLUMN] ...`. */
function columnDefs(stmt) {
    const t = stmt.tokens;
    const i = verbIndex(stmt);
    const v = verb(stmt);
    if (v === 'ALTER' && util_isWord(t[i + 1], 'TABLE')) {
        const name = readName(t, i + 2);
        if (!name || !util_isWord(t[name.next], 'ADD'))
            return [];
        let j = name.next + 1;
        if (util_isWord(t[j], 'COLUMN'))
            j++;
        if (!t[j] || TABLE_CONSTRAINT.has(t[j].value))
            return [];
        return [{ name: t[j], type: typeTokens(t, j + 1) }];
    }
    if (v !== 'CREATE')
        return [];
    let j = i + 1;
    while (util_isWord(t[j], 'TEMP', 'TEMPORARY'))
        j++;
    if (!util_isWord(t[j], 'TABLE'))
        return [];
    const name = readName(t, skipIfExists(t, j + 1));
    if (!name || !util_isPunct(t[name.next], '('))
        return [];
    const out = [];
    let depth = 0;
    for (let k = name.next; k < t.length; k++) {
        const tok = t[k];
        if (util_isPunct(tok, '('))
            depth++;
        else if (util_isPunct(tok, ')')) {
            depth--;
            if (depth === 0)
                break;
        }
        else if (depth === 1 && (util_isPunct(t[k - 1], ',') || k === name.next + 1)) {
            if (tok.kind === 'word' && TABLE_CONSTRAINT.has(tok.value))
                continue;
            out.push({ name: tok, type: typeTokens(t, k + 1) });
        }
    }
    return out;
}
const TYPE_END = new Set(['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS']);
/** A type name is a run of words, optionally followed by `(n[, m])`, as in SQLite's grammar. */
function typeTokens(t, from) {
    const out = [];
    let k = from;
    while (t[k] && t[k].kind === 'word' && !TYPE_END.has(t[k].value))
        out.push(t[k++]);
    if (out.length > 0 && util_isPunct(t[k], '(')) {
        while (t[k] && !util_isPunct(t[k], ')'))
            out.push(t[k++]);
        if (t[k])
            out.push(t[k]);
    }
    return out;
}

;// CONCATENATED MODULE: ./build/src/rules/postgres-syntax.js


const postgres_syntax_ID = 'postgres-syntax';
const TYPES = {
    SERIAL: 'SQLite accepts it as a type name but does not auto-increment it, so the column stays NULL. Use `INTEGER PRIMARY KEY AUTOINCREMENT` (or `INTEGER PRIMARY KEY`).',
    BIGSERIAL: 'SQLite accepts it as a type name but does not auto-increment it, so the column stays NULL. Use `INTEGER PRIMARY KEY AUTOINCREMENT` (SQLite integers are already 64-bit).',
    SMALLSERIAL: 'SQLite accepts it as a type name but does not auto-increment it, so the column stays NULL. Use `INTEGER PRIMARY KEY AUTOINCREMENT`.',
    JSONB: 'SQLite stores it with NUMERIC affinity and no JSON checking. Use `TEXT` with SQLite\'s JSON functions (`json()`, `->>`, `json_extract()`; `jsonb()` stores the binary form as a BLOB).',
    TIMESTAMPTZ: 'SQLite has no time zone type. Use `TEXT` holding ISO-8601 UTC (`CURRENT_TIMESTAMP`, `datetime()`) or `INTEGER` seconds (`unixepoch()`).',
};
const FUNCTIONS = {
    NOW: 'SQLite has no now() function ("no such function: now"; in a DEFAULT it fails only when a row is inserted). Use `CURRENT_TIMESTAMP` (text) or `unixepoch()` (integer seconds).',
    GEN_RANDOM_UUID: 'SQLite has no gen_random_uuid(). Use `lower(hex(randomblob(16)))` for a random id, or generate the UUID in your Worker with `crypto.randomUUID()`.',
    UUID_GENERATE_V4: 'SQLite has no uuid_generate_v4(). Use `lower(hex(randomblob(16)))` for a random id, or generate the UUID in your Worker with `crypto.randomUUID()`.',
};
const CREATE_OBJECTS = {
    EXTENSION: 'SQLite has no CREATE EXTENSION; D1 already includes FTS5, JSON and math functions. Remove it.',
    SCHEMA: 'SQLite (and D1) have a single schema. Remove it and create the tables without a schema prefix.',
    TYPE: 'SQLite has no user-defined types. For an enum use a `TEXT` column with `CHECK (col IN (\'a\', \'b\'))`.',
    DOMAIN: 'SQLite has no domains. Use the base type with a `CHECK` constraint on the column.',
    SEQUENCE: 'SQLite has no sequences. Use `INTEGER PRIMARY KEY AUTOINCREMENT`.',
    FUNCTION: 'SQLite has no stored functions. Move the logic into your Worker (or a trigger).',
    PROCEDURE: 'SQLite has no stored procedures. Move the logic into your Worker.',
};
const ADD_CONSTRAINT = new Set(['CONSTRAINT', 'PRIMARY', 'FOREIGN', 'UNIQUE', 'CHECK']);
const DOLLAR_QUOTE = /^\$[A-Za-z0-9_]*\$/;
function postgres_syntax_checkStatement(pm, stmt, out) {
    const seen = new Set();
    const report = (key, tok, construct, fix) => {
        if (seen.has(key))
            return;
        seen.add(key);
        out.push(findingAt(postgres_syntax_ID, pm, tok, `${construct} is PostgreSQL syntax. ${fix}`));
    };
    const t = stmt.tokens;
    const i = verbIndex(stmt);
    const v = verb(stmt);
    const next = t[i + 1];
    switch (v) {
        case 'SET':
            report('SET', stmt, `\`${t.slice(i, i + 2).map((x) => x.text).join(' ')}\``, 'SQLite has no SET statement (there is one schema and no session settings). Remove it.');
            break;
        case 'COMMENT':
            if (util_isWord(next, 'ON'))
                report('COMMENT', stmt, '`COMMENT ON`', 'SQLite cannot store comments on objects. Use a SQL comment (`-- ...`) in the migration instead.');
            break;
        case 'DO':
            report('DO', stmt, '`DO` (an anonymous code block)', 'SQLite runs plain SQL statements only. Write the statements out, or move the logic into your Worker.');
            break;
        case 'TRUNCATE':
            report('TRUNCATE', stmt, '`TRUNCATE`', 'SQLite has no TRUNCATE. Use `DELETE FROM table` (SQLite optimises a DELETE without WHERE).');
            break;
        case 'CREATE':
            if (util_isWord(next, 'OR') && util_isWord(t[i + 2], 'REPLACE')) {
                report('OR REPLACE', next, '`CREATE OR REPLACE`', 'SQLite has no CREATE OR REPLACE. Use `DROP VIEW IF EXISTS name;` (or DROP TRIGGER IF EXISTS) followed by `CREATE ...`.');
            }
            else if (next && next.kind === 'word' && CREATE_OBJECTS[next.value]) {
                report(`CREATE ${next.value}`, next, `\`CREATE ${next.value}\``, CREATE_OBJECTS[next.value]);
            }
            if (util_isWord(next, 'INDEX') || (util_isWord(next, 'UNIQUE') && util_isWord(t[i + 2], 'INDEX'))) {
                const using = t.findIndex((tok, k) => k > i && util_isWord(tok, 'USING'));
                if (using !== -1) {
                    report('USING', t[using], `\`USING ${t[using + 1]?.text ?? ''}\` in CREATE INDEX`, 'SQLite indexes have no access methods: remove `USING ...` (for full-text search use an FTS5 virtual table).');
                }
            }
            break;
        case 'ALTER': {
            if (!util_isWord(next, 'TABLE'))
                break;
            const name = readName(t, i + 2);
            if (!name)
                break;
            const action = t[name.next];
            if (util_isWord(action, 'ALTER')) {
                report('ALTER COLUMN', action, '`ALTER TABLE ... ALTER COLUMN`', 'SQLite cannot change a column in place. Rebuild the table: create the new table, copy the rows, drop the old table and rename the new one (https://www.sqlite.org/lang_altertable.html#otheralter).');
            }
            else if ((util_isWord(action, 'ADD') || util_isWord(action, 'DROP')) && t[name.next + 1]?.kind === 'word' && ADD_CONSTRAINT.has(t[name.next + 1].value)) {
                report('ADD CONSTRAINT', action, `\`ALTER TABLE ... ${action.value} ${t[name.next + 1].value}\``, 'SQLite\'s ALTER TABLE cannot add or drop constraints. Use `CREATE UNIQUE INDEX` for uniqueness, or rebuild the table with the constraint in CREATE TABLE.');
            }
            break;
        }
    }
    for (const col of columnDefs(stmt)) {
        const typeTok = col.type[0];
        if (!typeTok)
            continue;
        const fix = TYPES[typeTok.value];
        if (fix)
            report(`type ${typeTok.value}`, typeTok, `Column type \`${typeTok.text}\``, fix);
        const after = t[t.indexOf(col.type[col.type.length - 1]) + 1];
        if (after && after.kind === 'bracketed' && after.value.trim() === '') {
            report('array', after, `Array type \`${typeTok.text}[]\``, 'SQLite has no arrays. Store JSON text in a `TEXT` column (and query it with json_each()), or use a child table.');
        }
    }
    for (let k = 0; k < t.length; k++) {
        const tok = t[k];
        if (tok.kind === 'punct' && tok.text === '::') {
            const type = t[k + 1]?.text ?? 'type';
            report('::', tok, `The cast \`::${type}\``, `SQLite rejects it. Use \`CAST(x AS ${type.toUpperCase() === 'TEXT' ? 'TEXT' : type})\`.`);
        }
        else if (tok.kind === 'word') {
            if (FUNCTIONS[tok.value] && util_isPunct(t[k + 1], '('))
                report(tok.value, tok, `\`${tok.text}()\``, FUNCTIONS[tok.value]);
            else if (tok.value === 'ILIKE')
                report('ILIKE', tok, '`ILIKE`', 'SQLite\'s LIKE is already case-insensitive for ASCII letters: use `LIKE` (or `lower(a) LIKE lower(b)` for other letters).');
        }
        else if (tok.kind === 'param' && DOLLAR_QUOTE.test(tok.text)) {
            report('$$', tok, `Dollar quoting (\`${tok.text}\`)`, 'SQLite quotes strings with single quotes only: write \'text\' and double any quote inside (\'it\'\'s\').');
        }
    }
}
const postgresSyntax = {
    id: postgres_syntax_ID,
    check(ctx) {
        const out = [];
        for (const pm of ctx.migrations)
            for (const stmt of pm.statements)
                postgres_syntax_checkStatement(pm, stmt, out);
        return out;
    },
};

;// CONCATENATED MODULE: ./build/src/rules/pragma-allowlist.js
const D1_PRAGMAS = new Map([
    ['data_version', 'no-arg'],
    ['case_sensitive_like', 'boolean'],
    ['foreign_keys', 'boolean'],
    ['defer_foreign_keys', 'boolean'],
    ['ignore_check_constraints', 'boolean'],
    ['legacy_alter_table', 'boolean'],
    ['recursive_triggers', 'boolean'],
    ['reverse_unordered_selects', 'boolean'],
    ['foreign_key_check', 'optional-object-name'],
    ['foreign_key_list', 'object-name'],
    ['index_info', 'object-name'],
    ['index_list', 'object-name'],
    ['index_xinfo', 'object-name'],
    ['table_info', 'object-name'],
    ['table_xinfo', 'object-name'],
    ['quick_check', 'null-number-or-object-name'],
    ['optimize', 'null-or-number'],
    ['table_list', 'any'],
]);
// workerd compares with strncasecmp against each spelling, i.e. a case-insensitive prefix match.
const BOOLEAN_PREFIXES = ['true', 'false', 'yes', 'no', 'on', 'off', '1', '0'];
/** Names D1 refuses to touch (reserved for Cloudflare's own tables). */
function isReservedName(name) {
    return name.toLowerCase().startsWith('_cf_');
}
/** Why D1 rejects this argument for a pragma of this signature, or null when it accepts it. */
function argumentProblem(sig, value) {
    switch (sig) {
        case 'no-arg':
            return value === null ? null : 'takes no argument on D1 (it can only be read)';
        case 'boolean': {
            if (value === null)
                return null;
            const v = value.replace(/^(['"])(.*)\1$/, '$2').toLowerCase();
            return BOOLEAN_PREFIXES.some((p) => v.startsWith(p)) ? null : `accepts only a boolean (on/off, true/false, yes/no, 1/0), not \`${value}\``;
        }
        case 'object-name':
            if (value === null)
                return 'needs a table or index name argument';
            return isReservedName(value) ? `cannot name the reserved object \`${value}\`` : null;
        case 'optional-object-name':
            return value !== null && isReservedName(value) ? `cannot name the reserved object \`${value}\`` : null;
        case 'null-or-number':
            return value === null || /^[-+]?\d+$/.test(value) ? null : `accepts only an integer argument, not \`${value}\``;
        case 'null-number-or-object-name':
            return value !== null && isReservedName(value) ? `cannot name the reserved object \`${value}\`` : null;
        case 'any':
            return null;
    }
}

;// CONCATENATED MODULE: ./build/src/rules/pragma-not-allowed.js



const pragma_not_allowed_ID = 'pragma-not-allowed';
function allowedList() {
    return [...D1_PRAGMAS.keys()].sort().join(', ');
}
const pragmaNotAllowed = {
    id: pragma_not_allowed_ID,
    check(ctx) {
        const out = [];
        for (const pm of ctx.migrations) {
            for (const stmt of pm.statements) {
                const p = parsePragma(stmt);
                if (!p)
                    continue;
                let problem = null;
                const schema = p.schema?.toLowerCase();
                const sig = D1_PRAGMAS.get(p.name);
                if (schema !== undefined && schema !== 'main') {
                    problem = `\`PRAGMA ${p.schema}.${p.name}\`: D1 has only the \`main\` schema, so this fails with "not authorized". Drop the \`${p.schema}.\` prefix.`;
                }
                else if (sig === undefined) {
                    const lower = p.name.toLowerCase();
                    problem = D1_PRAGMAS.has(lower)
                        ? `\`PRAGMA ${p.name}\`: D1 matches pragma names case-sensitively, so this fails with "not authorized". Write \`PRAGMA ${lower}\`.`
                        : `\`PRAGMA ${p.name}\` is not allowed on D1 and fails with "not authorized". D1 manages storage settings itself; remove it. Allowed pragmas: ${allowedList()}.`;
                }
                else if (p.name !== 'foreign_keys') {
                    // foreign_keys has its own rule, which explains why setting it is pointless on D1.
                    const arg = argumentProblem(sig, p.value);
                    if (arg)
                        problem = `\`PRAGMA ${p.name}\` ${arg}, so D1 rejects it with "not authorized".`;
                }
                if (problem)
                    out.push(findingAt(pragma_not_allowed_ID, pm, p.nameTok, problem));
            }
        }
        return out;
    },
};

;// CONCATENATED MODULE: ./node_modules/@secretlint/secretlint-rule-preset-recommend/module/index.js


var commonjsGlobal = typeof globalThis !== 'undefined' ? globalThis : typeof window !== 'undefined' ? window : typeof global !== 'undefined' ? global : typeof self !== 'undefined' ? self : {};

var regexpStringMatcher = {};

/**
 * lodash (Custom Build) <https://lodash.com/>
 * Build: `lodash modularize exports="npm" -o ./`
 * Copyright jQuery Foundation and other contributors <https://jquery.org/>
 * Released under MIT license <https://lodash.com/license>
 * Based on Underscore.js 1.8.3 <http://underscorejs.org/LICENSE>
 * Copyright Jeremy Ashkenas, DocumentCloud and Investigative Reporters & Editors
 */

var lodash_uniq;
var hasRequiredLodash_uniq;

function requireLodash_uniq () {
	if (hasRequiredLodash_uniq) return lodash_uniq;
	hasRequiredLodash_uniq = 1;
	/** Used as the size to enable large array optimizations. */
	var LARGE_ARRAY_SIZE = 200;

	/** Used to stand-in for `undefined` hash values. */
	var HASH_UNDEFINED = '__lodash_hash_undefined__';

	/** Used as references for various `Number` constants. */
	var INFINITY = 1 / 0;

	/** `Object#toString` result references. */
	var funcTag = '[object Function]',
	    genTag = '[object GeneratorFunction]';

	/**
	 * Used to match `RegExp`
	 * [syntax characters](http://ecma-international.org/ecma-262/7.0/#sec-patterns).
	 */
	var reRegExpChar = /[\\^$.*+?()[\]{}|]/g;

	/** Used to detect host constructors (Safari). */
	var reIsHostCtor = /^\[object .+?Constructor\]$/;

	/** Detect free variable `global` from Node.js. */
	var freeGlobal = typeof commonjsGlobal == 'object' && commonjsGlobal && commonjsGlobal.Object === Object && commonjsGlobal;

	/** Detect free variable `self`. */
	var freeSelf = typeof self == 'object' && self && self.Object === Object && self;

	/** Used as a reference to the global object. */
	var root = freeGlobal || freeSelf || Function('return this')();

	/**
	 * A specialized version of `_.includes` for arrays without support for
	 * specifying an index to search from.
	 *
	 * @private
	 * @param {Array} [array] The array to inspect.
	 * @param {*} target The value to search for.
	 * @returns {boolean} Returns `true` if `target` is found, else `false`.
	 */
	function arrayIncludes(array, value) {
	  var length = array ? array.length : 0;
	  return !!length && baseIndexOf(array, value, 0) > -1;
	}

	/**
	 * The base implementation of `_.findIndex` and `_.findLastIndex` without
	 * support for iteratee shorthands.
	 *
	 * @private
	 * @param {Array} array The array to inspect.
	 * @param {Function} predicate The function invoked per iteration.
	 * @param {number} fromIndex The index to search from.
	 * @param {boolean} [fromRight] Specify iterating from right to left.
	 * @returns {number} Returns the index of the matched value, else `-1`.
	 */
	function baseFindIndex(array, predicate, fromIndex, fromRight) {
	  var length = array.length,
	      index = fromIndex + (-1);

	  while ((++index < length)) {
	    if (predicate(array[index], index, array)) {
	      return index;
	    }
	  }
	  return -1;
	}

	/**
	 * The base implementation of `_.indexOf` without `fromIndex` bounds checks.
	 *
	 * @private
	 * @param {Array} array The array to inspect.
	 * @param {*} value The value to search for.
	 * @param {number} fromIndex The index to search from.
	 * @returns {number} Returns the index of the matched value, else `-1`.
	 */
	function baseIndexOf(array, value, fromIndex) {
	  if (value !== value) {
	    return baseFindIndex(array, baseIsNaN, fromIndex);
	  }
	  var index = fromIndex - 1,
	      length = array.length;

	  while (++index < length) {
	    if (array[index] === value) {
	      return index;
	    }
	  }
	  return -1;
	}

	/**
	 * The base implementation of `_.isNaN` without support for number objects.
	 *
	 * @private
	 * @param {*} value The value to check.
	 * @returns {boolean} Returns `true` if `value` is `NaN`, else `false`.
	 */
	function baseIsNaN(value) {
	  return value !== value;
	}

	/**
	 * Checks if a cache value for `key` exists.
	 *
	 * @private
	 * @param {Object} cache The cache to query.
	 * @param {string} key The key of the entry to check.
	 * @returns {boolean} Returns `true` if an entry for `key` exists, else `false`.
	 */
	function cacheHas(cache, key) {
	  return cache.has(key);
	}

	/**
	 * Gets the value at `key` of `object`.
	 *
	 * @private
	 * @param {Object} [object] The object to query.
	 * @param {string} key The key of the property to get.
	 * @returns {*} Returns the property value.
	 */
	function getValue(object, key) {
	  return object == null ? undefined : object[key];
	}

	/**
	 * Checks if `value` is a host object in IE < 9.
	 *
	 * @private
	 * @param {*} value The value to check.
	 * @returns {boolean} Returns `true` if `value` is a host object, else `false`.
	 */
	function isHostObject(value) {
	  // Many host objects are `Object` objects that can coerce to strings
	  // despite having improperly defined `toString` methods.
	  var result = false;
	  if (value != null && typeof value.toString != 'function') {
	    try {
	      result = !!(value + '');
	    } catch (e) {}
	  }
	  return result;
	}

	/**
	 * Converts `set` to an array of its values.
	 *
	 * @private
	 * @param {Object} set The set to convert.
	 * @returns {Array} Returns the values.
	 */
	function setToArray(set) {
	  var index = -1,
	      result = Array(set.size);

	  set.forEach(function(value) {
	    result[++index] = value;
	  });
	  return result;
	}

	/** Used for built-in method references. */
	var arrayProto = Array.prototype,
	    funcProto = Function.prototype,
	    objectProto = Object.prototype;

	/** Used to detect overreaching core-js shims. */
	var coreJsData = root['__core-js_shared__'];

	/** Used to detect methods masquerading as native. */
	var maskSrcKey = (function() {
	  var uid = /[^.]+$/.exec(coreJsData && coreJsData.keys && coreJsData.keys.IE_PROTO || '');
	  return uid ? ('Symbol(src)_1.' + uid) : '';
	}());

	/** Used to resolve the decompiled source of functions. */
	var funcToString = funcProto.toString;

	/** Used to check objects for own properties. */
	var hasOwnProperty = objectProto.hasOwnProperty;

	/**
	 * Used to resolve the
	 * [`toStringTag`](http://ecma-international.org/ecma-262/7.0/#sec-object.prototype.tostring)
	 * of values.
	 */
	var objectToString = objectProto.toString;

	/** Used to detect if a method is native. */
	var reIsNative = RegExp('^' +
	  funcToString.call(hasOwnProperty).replace(reRegExpChar, '\\$&')
	  .replace(/hasOwnProperty|(function).*?(?=\\\()| for .+?(?=\\\])/g, '$1.*?') + '$'
	);

	/** Built-in value references. */
	var splice = arrayProto.splice;

	/* Built-in method references that are verified to be native. */
	var Map = getNative(root, 'Map'),
	    Set = getNative(root, 'Set'),
	    nativeCreate = getNative(Object, 'create');

	/**
	 * Creates a hash object.
	 *
	 * @private
	 * @constructor
	 * @param {Array} [entries] The key-value pairs to cache.
	 */
	function Hash(entries) {
	  var index = -1,
	      length = entries ? entries.length : 0;

	  this.clear();
	  while (++index < length) {
	    var entry = entries[index];
	    this.set(entry[0], entry[1]);
	  }
	}

	/**
	 * Removes all key-value entries from the hash.
	 *
	 * @private
	 * @name clear
	 * @memberOf Hash
	 */
	function hashClear() {
	  this.__data__ = nativeCreate ? nativeCreate(null) : {};
	}

	/**
	 * Removes `key` and its value from the hash.
	 *
	 * @private
	 * @name delete
	 * @memberOf Hash
	 * @param {Object} hash The hash to modify.
	 * @param {string} key The key of the value to remove.
	 * @returns {boolean} Returns `true` if the entry was removed, else `false`.
	 */
	function hashDelete(key) {
	  return this.has(key) && delete this.__data__[key];
	}

	/**
	 * Gets the hash value for `key`.
	 *
	 * @private
	 * @name get
	 * @memberOf Hash
	 * @param {string} key The key of the value to get.
	 * @returns {*} Returns the entry value.
	 */
	function hashGet(key) {
	  var data = this.__data__;
	  if (nativeCreate) {
	    var result = data[key];
	    return result === HASH_UNDEFINED ? undefined : result;
	  }
	  return hasOwnProperty.call(data, key) ? data[key] : undefined;
	}

	/**
	 * Checks if a hash value for `key` exists.
	 *
	 * @private
	 * @name has
	 * @memberOf Hash
	 * @param {string} key The key of the entry to check.
	 * @returns {boolean} Returns `true` if an entry for `key` exists, else `false`.
	 */
	function hashHas(key) {
	  var data = this.__data__;
	  return nativeCreate ? data[key] !== undefined : hasOwnProperty.call(data, key);
	}

	/**
	 * Sets the hash `key` to `value`.
	 *
	 * @private
	 * @name set
	 * @memberOf Hash
	 * @param {string} key The key of the value to set.
	 * @param {*} value The value to set.
	 * @returns {Object} Returns the hash instance.
	 */
	function hashSet(key, value) {
	  var data = this.__data__;
	  data[key] = (nativeCreate && value === undefined) ? HASH_UNDEFINED : value;
	  return this;
	}

	// Add methods to `Hash`.
	Hash.prototype.clear = hashClear;
	Hash.prototype['delete'] = hashDelete;
	Hash.prototype.get = hashGet;
	Hash.prototype.has = hashHas;
	Hash.prototype.set = hashSet;

	/**
	 * Creates an list cache object.
	 *
	 * @private
	 * @constructor
	 * @param {Array} [entries] The key-value pairs to cache.
	 */
	function ListCache(entries) {
	  var index = -1,
	      length = entries ? entries.length : 0;

	  this.clear();
	  while (++index < length) {
	    var entry = entries[index];
	    this.set(entry[0], entry[1]);
	  }
	}

	/**
	 * Removes all key-value entries from the list cache.
	 *
	 * @private
	 * @name clear
	 * @memberOf ListCache
	 */
	function listCacheClear() {
	  this.__data__ = [];
	}

	/**
	 * Removes `key` and its value from the list cache.
	 *
	 * @private
	 * @name delete
	 * @memberOf ListCache
	 * @param {string} key The key of the value to remove.
	 * @returns {boolean} Returns `true` if the entry was removed, else `false`.
	 */
	function listCacheDelete(key) {
	  var data = this.__data__,
	      index = assocIndexOf(data, key);

	  if (index < 0) {
	    return false;
	  }
	  var lastIndex = data.length - 1;
	  if (index == lastIndex) {
	    data.pop();
	  } else {
	    splice.call(data, index, 1);
	  }
	  return true;
	}

	/**
	 * Gets the list cache value for `key`.
	 *
	 * @private
	 * @name get
	 * @memberOf ListCache
	 * @param {string} key The key of the value to get.
	 * @returns {*} Returns the entry value.
	 */
	function listCacheGet(key) {
	  var data = this.__data__,
	      index = assocIndexOf(data, key);

	  return index < 0 ? undefined : data[index][1];
	}

	/**
	 * Checks if a list cache value for `key` exists.
	 *
	 * @private
	 * @name has
	 * @memberOf ListCache
	 * @param {string} key The key of the entry to check.
	 * @returns {boolean} Returns `true` if an entry for `key` exists, else `false`.
	 */
	function listCacheHas(key) {
	  return assocIndexOf(this.__data__, key) > -1;
	}

	/**
	 * Sets the list cache `key` to `value`.
	 *
	 * @private
	 * @name set
	 * @memberOf ListCache
	 * @param {string} key The key of the value to set.
	 * @param {*} value The value to set.
	 * @returns {Object} Returns the list cache instance.
	 */
	function listCacheSet(key, value) {
	  var data = this.__data__,
	      index = assocIndexOf(data, key);

	  if (index < 0) {
	    data.push([key, value]);
	  } else {
	    data[index][1] = value;
	  }
	  return this;
	}

	// Add methods to `ListCache`.
	ListCache.prototype.clear = listCacheClear;
	ListCache.prototype['delete'] = listCacheDelete;
	ListCache.prototype.get = listCacheGet;
	ListCache.prototype.has = listCacheHas;
	ListCache.prototype.set = listCacheSet;

	/**
	 * Creates a map cache object to store key-value pairs.
	 *
	 * @private
	 * @constructor
	 * @param {Array} [entries] The key-value pairs to cache.
	 */
	function MapCache(entries) {
	  var index = -1,
	      length = entries ? entries.length : 0;

	  this.clear();
	  while (++index < length) {
	    var entry = entries[index];
	    this.set(entry[0], entry[1]);
	  }
	}

	/**
	 * Removes all key-value entries from the map.
	 *
	 * @private
	 * @name clear
	 * @memberOf MapCache
	 */
	function mapCacheClear() {
	  this.__data__ = {
	    'hash': new Hash,
	    'map': new (Map || ListCache),
	    'string': new Hash
	  };
	}

	/**
	 * Removes `key` and its value from the map.
	 *
	 * @private
	 * @name delete
	 * @memberOf MapCache
	 * @param {string} key The key of the value to remove.
	 * @returns {boolean} Returns `true` if the entry was removed, else `false`.
	 */
	function mapCacheDelete(key) {
	  return getMapData(this, key)['delete'](key);
	}

	/**
	 * Gets the map value for `key`.
	 *
	 * @private
	 * @name get
	 * @memberOf MapCache
	 * @param {string} key The key of the value to get.
	 * @returns {*} Returns the entry value.
	 */
	function mapCacheGet(key) {
	  return getMapData(this, key).get(key);
	}

	/**
	 * Checks if a map value for `key` exists.
	 *
	 * @private
	 * @name has
	 * @memberOf MapCache
	 * @param {string} key The key of the entry to check.
	 * @returns {boolean} Returns `true` if an entry for `key` exists, else `false`.
	 */
	function mapCacheHas(key) {
	  return getMapData(this, key).has(key);
	}

	/**
	 * Sets the map `key` to `value`.
	 *
	 * @private
	 * @name set
	 * @memberOf MapCache
	 * @param {string} key The key of the value to set.
	 * @param {*} value The value to set.
	 * @returns {Object} Returns the map cache instance.
	 */
	function mapCacheSet(key, value) {
	  getMapData(this, key).set(key, value);
	  return this;
	}

	// Add methods to `MapCache`.
	MapCache.prototype.clear = mapCacheClear;
	MapCache.prototype['delete'] = mapCacheDelete;
	MapCache.prototype.get = mapCacheGet;
	MapCache.prototype.has = mapCacheHas;
	MapCache.prototype.set = mapCacheSet;

	/**
	 *
	 * Creates an array cache object to store unique values.
	 *
	 * @private
	 * @constructor
	 * @param {Array} [values] The values to cache.
	 */
	function SetCache(values) {
	  var index = -1,
	      length = values ? values.length : 0;

	  this.__data__ = new MapCache;
	  while (++index < length) {
	    this.add(values[index]);
	  }
	}

	/**
	 * Adds `value` to the array cache.
	 *
	 * @private
	 * @name add
	 * @memberOf SetCache
	 * @alias push
	 * @param {*} value The value to cache.
	 * @returns {Object} Returns the cache instance.
	 */
	function setCacheAdd(value) {
	  this.__data__.set(value, HASH_UNDEFINED);
	  return this;
	}

	/**
	 * Checks if `value` is in the array cache.
	 *
	 * @private
	 * @name has
	 * @memberOf SetCache
	 * @param {*} value The value to search for.
	 * @returns {number} Returns `true` if `value` is found, else `false`.
	 */
	function setCacheHas(value) {
	  return this.__data__.has(value);
	}

	// Add methods to `SetCache`.
	SetCache.prototype.add = SetCache.prototype.push = setCacheAdd;
	SetCache.prototype.has = setCacheHas;

	/**
	 * Gets the index at which the `key` is found in `array` of key-value pairs.
	 *
	 * @private
	 * @param {Array} array The array to inspect.
	 * @param {*} key The key to search for.
	 * @returns {number} Returns the index of the matched value, else `-1`.
	 */
	function assocIndexOf(array, key) {
	  var length = array.length;
	  while (length--) {
	    if (eq(array[length][0], key)) {
	      return length;
	    }
	  }
	  return -1;
	}

	/**
	 * The base implementation of `_.isNative` without bad shim checks.
	 *
	 * @private
	 * @param {*} value The value to check.
	 * @returns {boolean} Returns `true` if `value` is a native function,
	 *  else `false`.
	 */
	function baseIsNative(value) {
	  if (!isObject(value) || isMasked(value)) {
	    return false;
	  }
	  var pattern = (isFunction(value) || isHostObject(value)) ? reIsNative : reIsHostCtor;
	  return pattern.test(toSource(value));
	}

	/**
	 * The base implementation of `_.uniqBy` without support for iteratee shorthands.
	 *
	 * @private
	 * @param {Array} array The array to inspect.
	 * @param {Function} [iteratee] The iteratee invoked per element.
	 * @param {Function} [comparator] The comparator invoked per element.
	 * @returns {Array} Returns the new duplicate free array.
	 */
	function baseUniq(array, iteratee, comparator) {
	  var index = -1,
	      includes = arrayIncludes,
	      length = array.length,
	      isCommon = true,
	      result = [],
	      seen = result;

	  if (length >= LARGE_ARRAY_SIZE) {
	    var set = createSet(array);
	    if (set) {
	      return setToArray(set);
	    }
	    isCommon = false;
	    includes = cacheHas;
	    seen = new SetCache;
	  }
	  else {
	    seen = result;
	  }
	  outer:
	  while (++index < length) {
	    var value = array[index],
	        computed = value;

	    value = (value !== 0) ? value : 0;
	    if (isCommon && computed === computed) {
	      var seenIndex = seen.length;
	      while (seenIndex--) {
	        if (seen[seenIndex] === computed) {
	          continue outer;
	        }
	      }
	      result.push(value);
	    }
	    else if (!includes(seen, computed, comparator)) {
	      if (seen !== result) {
	        seen.push(computed);
	      }
	      result.push(value);
	    }
	  }
	  return result;
	}

	/**
	 * Creates a set object of `values`.
	 *
	 * @private
	 * @param {Array} values The values to add to the set.
	 * @returns {Object} Returns the new set.
	 */
	var createSet = !(Set && (1 / setToArray(new Set([,-0]))[1]) == INFINITY) ? noop : function(values) {
	  return new Set(values);
	};

	/**
	 * Gets the data for `map`.
	 *
	 * @private
	 * @param {Object} map The map to query.
	 * @param {string} key The reference key.
	 * @returns {*} Returns the map data.
	 */
	function getMapData(map, key) {
	  var data = map.__data__;
	  return isKeyable(key)
	    ? data[typeof key == 'string' ? 'string' : 'hash']
	    : data.map;
	}

	/**
	 * Gets the native function at `key` of `object`.
	 *
	 * @private
	 * @param {Object} object The object to query.
	 * @param {string} key The key of the method to get.
	 * @returns {*} Returns the function if it's native, else `undefined`.
	 */
	function getNative(object, key) {
	  var value = getValue(object, key);
	  return baseIsNative(value) ? value : undefined;
	}

	/**
	 * Checks if `value` is suitable for use as unique object key.
	 *
	 * @private
	 * @param {*} value The value to check.
	 * @returns {boolean} Returns `true` if `value` is suitable, else `false`.
	 */
	function isKeyable(value) {
	  var type = typeof value;
	  return (type == 'string' || type == 'number' || type == 'symbol' || type == 'boolean')
	    ? (value !== '__proto__')
	    : (value === null);
	}

	/**
	 * Checks if `func` has its source masked.
	 *
	 * @private
	 * @param {Function} func The function to check.
	 * @returns {boolean} Returns `true` if `func` is masked, else `false`.
	 */
	function isMasked(func) {
	  return !!maskSrcKey && (maskSrcKey in func);
	}

	/**
	 * Converts `func` to its source code.
	 *
	 * @private
	 * @param {Function} func The function to process.
	 * @returns {string} Returns the source code.
	 */
	function toSource(func) {
	  if (func != null) {
	    try {
	      return funcToString.call(func);
	    } catch (e) {}
	    try {
	      return (func + '');
	    } catch (e) {}
	  }
	  return '';
	}

	/**
	 * Creates a duplicate-free version of an array, using
	 * [`SameValueZero`](http://ecma-international.org/ecma-262/7.0/#sec-samevaluezero)
	 * for equality comparisons, in which only the first occurrence of each
	 * element is kept.
	 *
	 * @static
	 * @memberOf _
	 * @since 0.1.0
	 * @category Array
	 * @param {Array} array The array to inspect.
	 * @returns {Array} Returns the new duplicate free array.
	 * @example
	 *
	 * _.uniq([2, 1, 2]);
	 * // => [2, 1]
	 */
	function uniq(array) {
	  return (array && array.length)
	    ? baseUniq(array)
	    : [];
	}

	/**
	 * Performs a
	 * [`SameValueZero`](http://ecma-international.org/ecma-262/7.0/#sec-samevaluezero)
	 * comparison between two values to determine if they are equivalent.
	 *
	 * @static
	 * @memberOf _
	 * @since 4.0.0
	 * @category Lang
	 * @param {*} value The value to compare.
	 * @param {*} other The other value to compare.
	 * @returns {boolean} Returns `true` if the values are equivalent, else `false`.
	 * @example
	 *
	 * var object = { 'a': 1 };
	 * var other = { 'a': 1 };
	 *
	 * _.eq(object, object);
	 * // => true
	 *
	 * _.eq(object, other);
	 * // => false
	 *
	 * _.eq('a', 'a');
	 * // => true
	 *
	 * _.eq('a', Object('a'));
	 * // => false
	 *
	 * _.eq(NaN, NaN);
	 * // => true
	 */
	function eq(value, other) {
	  return value === other || (value !== value && other !== other);
	}

	/**
	 * Checks if `value` is classified as a `Function` object.
	 *
	 * @static
	 * @memberOf _
	 * @since 0.1.0
	 * @category Lang
	 * @param {*} value The value to check.
	 * @returns {boolean} Returns `true` if `value` is a function, else `false`.
	 * @example
	 *
	 * _.isFunction(_);
	 * // => true
	 *
	 * _.isFunction(/abc/);
	 * // => false
	 */
	function isFunction(value) {
	  // The use of `Object#toString` avoids issues with the `typeof` operator
	  // in Safari 8-9 which returns 'object' for typed array and other constructors.
	  var tag = isObject(value) ? objectToString.call(value) : '';
	  return tag == funcTag || tag == genTag;
	}

	/**
	 * Checks if `value` is the
	 * [language type](http://www.ecma-international.org/ecma-262/7.0/#sec-ecmascript-language-types)
	 * of `Object`. (e.g. arrays, functions, objects, regexes, `new Number(0)`, and `new String('')`)
	 *
	 * @static
	 * @memberOf _
	 * @since 0.1.0
	 * @category Lang
	 * @param {*} value The value to check.
	 * @returns {boolean} Returns `true` if `value` is an object, else `false`.
	 * @example
	 *
	 * _.isObject({});
	 * // => true
	 *
	 * _.isObject([1, 2, 3]);
	 * // => true
	 *
	 * _.isObject(_.noop);
	 * // => true
	 *
	 * _.isObject(null);
	 * // => false
	 */
	function isObject(value) {
	  var type = typeof value;
	  return !!value && (type == 'object' || type == 'function');
	}

	/**
	 * This method returns `undefined`.
	 *
	 * @static
	 * @memberOf _
	 * @since 2.3.0
	 * @category Util
	 * @example
	 *
	 * _.times(2, _.noop);
	 * // => [undefined, undefined]
	 */
	function noop() {
	  // No operation performed.
	}

	lodash_uniq = uniq;
	return lodash_uniq;
}

/**
 * lodash (Custom Build) <https://lodash.com/>
 * Build: `lodash modularize exports="npm" -o ./`
 * Copyright jQuery Foundation and other contributors <https://jquery.org/>
 * Released under MIT license <https://lodash.com/license>
 * Based on Underscore.js 1.8.3 <http://underscorejs.org/LICENSE>
 * Copyright Jeremy Ashkenas, DocumentCloud and Investigative Reporters & Editors
 */

var lodash_uniqwith;
var hasRequiredLodash_uniqwith;

function requireLodash_uniqwith () {
	if (hasRequiredLodash_uniqwith) return lodash_uniqwith;
	hasRequiredLodash_uniqwith = 1;
	/** Used as the size to enable large array optimizations. */
	var LARGE_ARRAY_SIZE = 200;

	/** Used to stand-in for `undefined` hash values. */
	var HASH_UNDEFINED = '__lodash_hash_undefined__';

	/** Used as references for various `Number` constants. */
	var INFINITY = 1 / 0;

	/** `Object#toString` result references. */
	var funcTag = '[object Function]',
	    genTag = '[object GeneratorFunction]';

	/**
	 * Used to match `RegExp`
	 * [syntax characters](http://ecma-international.org/ecma-262/7.0/#sec-patterns).
	 */
	var reRegExpChar = /[\\^$.*+?()[\]{}|]/g;

	/** Used to detect host constructors (Safari). */
	var reIsHostCtor = /^\[object .+?Constructor\]$/;

	/** Detect free variable `global` from Node.js. */
	var freeGlobal = typeof commonjsGlobal == 'object' && commonjsGlobal && commonjsGlobal.Object === Object && commonjsGlobal;

	/** Detect free variable `self`. */
	var freeSelf = typeof self == 'object' && self && self.Object === Object && self;

	/** Used as a reference to the global object. */
	var root = freeGlobal || freeSelf || Function('return this')();

	/**
	 * A specialized version of `_.includes` for arrays without support for
	 * specifying an index to search from.
	 *
	 * @private
	 * @param {Array} [array] The array to inspect.
	 * @param {*} target The value to search for.
	 * @returns {boolean} Returns `true` if `target` is found, else `false`.
	 */
	function arrayIncludes(array, value) {
	  var length = array ? array.length : 0;
	  return !!length && baseIndexOf(array, value, 0) > -1;
	}

	/**
	 * This function is like `arrayIncludes` except that it accepts a comparator.
	 *
	 * @private
	 * @param {Array} [array] The array to inspect.
	 * @param {*} target The value to search for.
	 * @param {Function} comparator The comparator invoked per element.
	 * @returns {boolean} Returns `true` if `target` is found, else `false`.
	 */
	function arrayIncludesWith(array, value, comparator) {
	  var index = -1,
	      length = array ? array.length : 0;

	  while (++index < length) {
	    if (comparator(value, array[index])) {
	      return true;
	    }
	  }
	  return false;
	}

	/**
	 * The base implementation of `_.findIndex` and `_.findLastIndex` without
	 * support for iteratee shorthands.
	 *
	 * @private
	 * @param {Array} array The array to inspect.
	 * @param {Function} predicate The function invoked per iteration.
	 * @param {number} fromIndex The index to search from.
	 * @param {boolean} [fromRight] Specify iterating from right to left.
	 * @returns {number} Returns the index of the matched value, else `-1`.
	 */
	function baseFindIndex(array, predicate, fromIndex, fromRight) {
	  var length = array.length,
	      index = fromIndex + (-1);

	  while ((++index < length)) {
	    if (predicate(array[index], index, array)) {
	      return index;
	    }
	  }
	  return -1;
	}

	/**
	 * The base implementation of `_.indexOf` without `fromIndex` bounds checks.
	 *
	 * @private
	 * @param {Array} array The array to inspect.
	 * @param {*} value The value to search for.
	 * @param {number} fromIndex The index to search from.
	 * @returns {number} Returns the index of the matched value, else `-1`.
	 */
	function baseIndexOf(array, value, fromIndex) {
	  if (value !== value) {
	    return baseFindIndex(array, baseIsNaN, fromIndex);
	  }
	  var index = fromIndex - 1,
	      length = array.length;

	  while (++index < length) {
	    if (array[index] === value) {
	      return index;
	    }
	  }
	  return -1;
	}

	/**
	 * The base implementation of `_.isNaN` without support for number objects.
	 *
	 * @private
	 * @param {*} value The value to check.
	 * @returns {boolean} Returns `true` if `value` is `NaN`, else `false`.
	 */
	function baseIsNaN(value) {
	  return value !== value;
	}

	/**
	 * Checks if a cache value for `key` exists.
	 *
	 * @private
	 * @param {Object} cache The cache to query.
	 * @param {string} key The key of the entry to check.
	 * @returns {boolean} Returns `true` if an entry for `key` exists, else `false`.
	 */
	function cacheHas(cache, key) {
	  return cache.has(key);
	}

	/**
	 * Gets the value at `key` of `object`.
	 *
	 * @private
	 * @param {Object} [object] The object to query.
	 * @param {string} key The key of the property to get.
	 * @returns {*} Returns the property value.
	 */
	function getValue(object, key) {
	  return object == null ? undefined : object[key];
	}

	/**
	 * Checks if `value` is a host object in IE < 9.
	 *
	 * @private
	 * @param {*} value The value to check.
	 * @returns {boolean} Returns `true` if `value` is a host object, else `false`.
	 */
	function isHostObject(value) {
	  // Many host objects are `Object` objects that can coerce to strings
	  // despite having improperly defined `toString` methods.
	  var result = false;
	  if (value != null && typeof value.toString != 'function') {
	    try {
	      result = !!(value + '');
	    } catch (e) {}
	  }
	  return result;
	}

	/**
	 * Converts `set` to an array of its values.
	 *
	 * @private
	 * @param {Object} set The set to convert.
	 * @returns {Array} Returns the values.
	 */
	function setToArray(set) {
	  var index = -1,
	      result = Array(set.size);

	  set.forEach(function(value) {
	    result[++index] = value;
	  });
	  return result;
	}

	/** Used for built-in method references. */
	var arrayProto = Array.prototype,
	    funcProto = Function.prototype,
	    objectProto = Object.prototype;

	/** Used to detect overreaching core-js shims. */
	var coreJsData = root['__core-js_shared__'];

	/** Used to detect methods masquerading as native. */
	var maskSrcKey = (function() {
	  var uid = /[^.]+$/.exec(coreJsData && coreJsData.keys && coreJsData.keys.IE_PROTO || '');
	  return uid ? ('Symbol(src)_1.' + uid) : '';
	}());

	/** Used to resolve the decompiled source of functions. */
	var funcToString = funcProto.toString;

	/** Used to check objects for own properties. */
	var hasOwnProperty = objectProto.hasOwnProperty;

	/**
	 * Used to resolve the
	 * [`toStringTag`](http://ecma-international.org/ecma-262/7.0/#sec-object.prototype.tostring)
	 * of values.
	 */
	var objectToString = objectProto.toString;

	/** Used to detect if a method is native. */
	var reIsNative = RegExp('^' +
	  funcToString.call(hasOwnProperty).replace(reRegExpChar, '\\$&')
	  .replace(/hasOwnProperty|(function).*?(?=\\\()| for .+?(?=\\\])/g, '$1.*?') + '$'
	);

	/** Built-in value references. */
	var splice = arrayProto.splice;

	/* Built-in method references that are verified to be native. */
	var Map = getNative(root, 'Map'),
	    Set = getNative(root, 'Set'),
	    nativeCreate = getNative(Object, 'create');

	/**
	 * Creates a hash object.
	 *
	 * @private
	 * @constructor
	 * @param {Array} [entries] The key-value pairs to cache.
	 */
	function Hash(entries) {
	  var index = -1,
	      length = entries ? entries.length : 0;

	  this.clear();
	  while (++index < length) {
	    var entry = entries[index];
	    this.set(entry[0], entry[1]);
	  }
	}

	/**
	 * Removes all key-value entries from the hash.
	 *
	 * @private
	 * @name clear
	 * @memberOf Hash
	 */
	function hashClear() {
	  this.__data__ = nativeCreate ? nativeCreate(null) : {};
	}

	/**
	 * Removes `key` and its value from the hash.
	 *
	 * @private
	 * @name delete
	 * @memberOf Hash
	 * @param {Object} hash The hash to modify.
	 * @param {string} key The key of the value to remove.
	 * @returns {boolean} Returns `true` if the entry was removed, else `false`.
	 */
	function hashDelete(key) {
	  return this.has(key) && delete this.__data__[key];
	}

	/**
	 * Gets the hash value for `key`.
	 *
	 * @private
	 * @name get
	 * @memberOf Hash
	 * @param {string} key The key of the value to get.
	 * @returns {*} Returns the entry value.
	 */
	function hashGet(key) {
	  var data = this.__data__;
	  if (nativeCreate) {
	    var result = data[key];
	    return result === HASH_UNDEFINED ? undefined : result;
	  }
	  return hasOwnProperty.call(data, key) ? data[key] : undefined;
	}

	/**
	 * Checks if a hash value for `key` exists.
	 *
	 * @private
	 * @name has
	 * @memberOf Hash
	 * @param {string} key The key of the entry to check.
	 * @returns {boolean} Returns `true` if an entry for `key` exists, else `false`.
	 */
	function hashHas(key) {
	  var data = this.__data__;
	  return nativeCreate ? data[key] !== undefined : hasOwnProperty.call(data, key);
	}

	/**
	 * Sets the hash `key` to `value`.
	 *
	 * @private
	 * @name set
	 * @memberOf Hash
	 * @param {string} key The key of the value to set.
	 * @param {*} value The value to set.
	 * @returns {Object} Returns the hash instance.
	 */
	function hashSet(key, value) {
	  var data = this.__data__;
	  data[key] = (nativeCreate && value === undefined) ? HASH_UNDEFINED : value;
	  return this;
	}

	// Add methods to `Hash`.
	Hash.prototype.clear = hashClear;
	Hash.prototype['delete'] = hashDelete;
	Hash.prototype.get = hashGet;
	Hash.prototype.has = hashHas;
	Hash.prototype.set = hashSet;

	/**
	 * Creates an list cache object.
	 *
	 * @private
	 * @constructor
	 * @param {Array} [entries] The key-value pairs to cache.
	 */
	function ListCache(entries) {
	  var index = -1,
	      length = entries ? entries.length : 0;

	  this.clear();
	  while (++index < length) {
	    var entry = entries[index];
	    this.set(entry[0], entry[1]);
	  }
	}

	/**
	 * Removes all key-value entries from the list cache.
	 *
	 * @private
	 * @name clear
	 * @memberOf ListCache
	 */
	function listCacheClear() {
	  this.__data__ = [];
	}

	/**
	 * Removes `key` and its value from the list cache.
	 *
	 * @private
	 * @name delete
	 * @memberOf ListCache
	 * @param {string} key The key of the value to remove.
	 * @returns {boolean} Returns `true` if the entry was removed, else `false`.
	 */
	function listCacheDelete(key) {
	  var data = this.__data__,
	      index = assocIndexOf(data, key);

	  if (index < 0) {
	    return false;
	  }
	  var lastIndex = data.length - 1;
	  if (index == lastIndex) {
	    data.pop();
	  } else {
	    splice.call(data, index, 1);
	  }
	  return true;
	}

	/**
	 * Gets the list cache value for `key`.
	 *
	 * @private
	 * @name get
	 * @memberOf ListCache
	 * @param {string} key The key of the value to get.
	 * @returns {*} Returns the entry value.
	 */
	function listCacheGet(key) {
	  var data = this.__data__,
	      index = assocIndexOf(data, key);

	  return index < 0 ? undefined : data[index][1];
	}

	/**
	 * Checks if a list cache value for `key` exists.
	 *
	 * @private
	 * @name has
	 * @memberOf ListCache
	 * @param {string} key The key of the entry to check.
	 * @returns {boolean} Returns `true` if an entry for `key` exists, else `false`.
	 */
	function listCacheHas(key) {
	  return assocIndexOf(this.__data__, key) > -1;
	}

	/**
	 * Sets the list cache `key` to `value`.
	 *
	 * @private
	 * @name set
	 * @memberOf ListCache
	 * @param {string} key The key of the value to set.
	 * @param {*} value The value to set.
	 * @returns {Object} Returns the list cache instance.
	 */
	function listCacheSet(key, value) {
	  var data = this.__data__,
	      index = assocIndexOf(data, key);

	  if (index < 0) {
	    data.push([key, value]);
	  } else {
	    data[index][1] = value;
	  }
	  return this;
	}

	// Add methods to `ListCache`.
	ListCache.prototype.clear = listCacheClear;
	ListCache.prototype['delete'] = listCacheDelete;
	ListCache.prototype.get = listCacheGet;
	ListCache.prototype.has = listCacheHas;
	ListCache.prototype.set = listCacheSet;

	/**
	 * Creates a map cache object to store key-value pairs.
	 *
	 * @private
	 * @constructor
	 * @param {Array} [entries] The key-value pairs to cache.
	 */
	function MapCache(entries) {
	  var index = -1,
	      length = entries ? entries.length : 0;

	  this.clear();
	  while (++index < length) {
	    var entry = entries[index];
	    this.set(entry[0], entry[1]);
	  }
	}

	/**
	 * Removes all key-value entries from the map.
	 *
	 * @private
	 * @name clear
	 * @memberOf MapCache
	 */
	function mapCacheClear() {
	  this.__data__ = {
	    'hash': new Hash,
	    'map': new (Map || ListCache),
	    'string': new Hash
	  };
	}

	/**
	 * Removes `key` and its value from the map.
	 *
	 * @private
	 * @name delete
	 * @memberOf MapCache
	 * @param {string} key The key of the value to remove.
	 * @returns {boolean} Returns `true` if the entry was removed, else `false`.
	 */
	function mapCacheDelete(key) {
	  return getMapData(this, key)['delete'](key);
	}

	/**
	 * Gets the map value for `key`.
	 *
	 * @private
	 * @name get
	 * @memberOf MapCache
	 * @param {string} key The key of the value to get.
	 * @returns {*} Returns the entry value.
	 */
	function mapCacheGet(key) {
	  return getMapData(this, key).get(key);
	}

	/**
	 * Checks if a map value for `key` exists.
	 *
	 * @private
	 * @name has
	 * @memberOf MapCache
	 * @param {string} key The key of the entry to check.
	 * @returns {boolean} Returns `true` if an entry for `key` exists, else `false`.
	 */
	function mapCacheHas(key) {
	  return getMapData(this, key).has(key);
	}

	/**
	 * Sets the map `key` to `value`.
	 *
	 * @private
	 * @name set
	 * @memberOf MapCache
	 * @param {string} key The key of the value to set.
	 * @param {*} value The value to set.
	 * @returns {Object} Returns the map cache instance.
	 */
	function mapCacheSet(key, value) {
	  getMapData(this, key).set(key, value);
	  return this;
	}

	// Add methods to `MapCache`.
	MapCache.prototype.clear = mapCacheClear;
	MapCache.prototype['delete'] = mapCacheDelete;
	MapCache.prototype.get = mapCacheGet;
	MapCache.prototype.has = mapCacheHas;
	MapCache.prototype.set = mapCacheSet;

	/**
	 *
	 * Creates an array cache object to store unique values.
	 *
	 * @private
	 * @constructor
	 * @param {Array} [values] The values to cache.
	 */
	function SetCache(values) {
	  var index = -1,
	      length = values ? values.length : 0;

	  this.__data__ = new MapCache;
	  while (++index < length) {
	    this.add(values[index]);
	  }
	}

	/**
	 * Adds `value` to the array cache.
	 *
	 * @private
	 * @name add
	 * @memberOf SetCache
	 * @alias push
	 * @param {*} value The value to cache.
	 * @returns {Object} Returns the cache instance.
	 */
	function setCacheAdd(value) {
	  this.__data__.set(value, HASH_UNDEFINED);
	  return this;
	}

	/**
	 * Checks if `value` is in the array cache.
	 *
	 * @private
	 * @name has
	 * @memberOf SetCache
	 * @param {*} value The value to search for.
	 * @returns {number} Returns `true` if `value` is found, else `false`.
	 */
	function setCacheHas(value) {
	  return this.__data__.has(value);
	}

	// Add methods to `SetCache`.
	SetCache.prototype.add = SetCache.prototype.push = setCacheAdd;
	SetCache.prototype.has = setCacheHas;

	/**
	 * Gets the index at which the `key` is found in `array` of key-value pairs.
	 *
	 * @private
	 * @param {Array} array The array to inspect.
	 * @param {*} key The key to search for.
	 * @returns {number} Returns the index of the matched value, else `-1`.
	 */
	function assocIndexOf(array, key) {
	  var length = array.length;
	  while (length--) {
	    if (eq(array[length][0], key)) {
	      return length;
	    }
	  }
	  return -1;
	}

	/**
	 * The base implementation of `_.isNative` without bad shim checks.
	 *
	 * @private
	 * @param {*} value The value to check.
	 * @returns {boolean} Returns `true` if `value` is a native function,
	 *  else `false`.
	 */
	function baseIsNative(value) {
	  if (!isObject(value) || isMasked(value)) {
	    return false;
	  }
	  var pattern = (isFunction(value) || isHostObject(value)) ? reIsNative : reIsHostCtor;
	  return pattern.test(toSource(value));
	}

	/**
	 * The base implementation of `_.uniqBy` without support for iteratee shorthands.
	 *
	 * @private
	 * @param {Array} array The array to inspect.
	 * @param {Function} [iteratee] The iteratee invoked per element.
	 * @param {Function} [comparator] The comparator invoked per element.
	 * @returns {Array} Returns the new duplicate free array.
	 */
	function baseUniq(array, iteratee, comparator) {
	  var index = -1,
	      includes = arrayIncludes,
	      length = array.length,
	      isCommon = true,
	      result = [],
	      seen = result;

	  if (comparator) {
	    isCommon = false;
	    includes = arrayIncludesWith;
	  }
	  else if (length >= LARGE_ARRAY_SIZE) {
	    var set = createSet(array);
	    if (set) {
	      return setToArray(set);
	    }
	    isCommon = false;
	    includes = cacheHas;
	    seen = new SetCache;
	  }
	  else {
	    seen = result;
	  }
	  outer:
	  while (++index < length) {
	    var value = array[index],
	        computed = value;

	    value = (comparator || value !== 0) ? value : 0;
	    if (isCommon && computed === computed) {
	      var seenIndex = seen.length;
	      while (seenIndex--) {
	        if (seen[seenIndex] === computed) {
	          continue outer;
	        }
	      }
	      result.push(value);
	    }
	    else if (!includes(seen, computed, comparator)) {
	      if (seen !== result) {
	        seen.push(computed);
	      }
	      result.push(value);
	    }
	  }
	  return result;
	}

	/**
	 * Creates a set object of `values`.
	 *
	 * @private
	 * @param {Array} values The values to add to the set.
	 * @returns {Object} Returns the new set.
	 */
	var createSet = !(Set && (1 / setToArray(new Set([,-0]))[1]) == INFINITY) ? noop : function(values) {
	  return new Set(values);
	};

	/**
	 * Gets the data for `map`.
	 *
	 * @private
	 * @param {Object} map The map to query.
	 * @param {string} key The reference key.
	 * @returns {*} Returns the map data.
	 */
	function getMapData(map, key) {
	  var data = map.__data__;
	  return isKeyable(key)
	    ? data[typeof key == 'string' ? 'string' : 'hash']
	    : data.map;
	}

	/**
	 * Gets the native function at `key` of `object`.
	 *
	 * @private
	 * @param {Object} object The object to query.
	 * @param {string} key The key of the method to get.
	 * @returns {*} Returns the function if it's native, else `undefined`.
	 */
	function getNative(object, key) {
	  var value = getValue(object, key);
	  return baseIsNative(value) ? value : undefined;
	}

	/**
	 * Checks if `value` is suitable for use as unique object key.
	 *
	 * @private
	 * @param {*} value The value to check.
	 * @returns {boolean} Returns `true` if `value` is suitable, else `false`.
	 */
	function isKeyable(value) {
	  var type = typeof value;
	  return (type == 'string' || type == 'number' || type == 'symbol' || type == 'boolean')
	    ? (value !== '__proto__')
	    : (value === null);
	}

	/**
	 * Checks if `func` has its source masked.
	 *
	 * @private
	 * @param {Function} func The function to check.
	 * @returns {boolean} Returns `true` if `func` is masked, else `false`.
	 */
	function isMasked(func) {
	  return !!maskSrcKey && (maskSrcKey in func);
	}

	/**
	 * Converts `func` to its source code.
	 *
	 * @private
	 * @param {Function} func The function to process.
	 * @returns {string} Returns the source code.
	 */
	function toSource(func) {
	  if (func != null) {
	    try {
	      return funcToString.call(func);
	    } catch (e) {}
	    try {
	      return (func + '');
	    } catch (e) {}
	  }
	  return '';
	}

	/**
	 * This method is like `_.uniq` except that it accepts `comparator` which
	 * is invoked to compare elements of `array`. The comparator is invoked with
	 * two arguments: (arrVal, othVal).
	 *
	 * @static
	 * @memberOf _
	 * @since 4.0.0
	 * @category Array
	 * @param {Array} array The array to inspect.
	 * @param {Function} [comparator] The comparator invoked per element.
	 * @returns {Array} Returns the new duplicate free array.
	 * @example
	 *
	 * var objects = [{ 'x': 1, 'y': 2 }, { 'x': 2, 'y': 1 }, { 'x': 1, 'y': 2 }];
	 *
	 * _.uniqWith(objects, _.isEqual);
	 * // => [{ 'x': 1, 'y': 2 }, { 'x': 2, 'y': 1 }]
	 */
	function uniqWith(array, comparator) {
	  return (array && array.length)
	    ? baseUniq(array, undefined, comparator)
	    : [];
	}

	/**
	 * Performs a
	 * [`SameValueZero`](http://ecma-international.org/ecma-262/7.0/#sec-samevaluezero)
	 * comparison between two values to determine if they are equivalent.
	 *
	 * @static
	 * @memberOf _
	 * @since 4.0.0
	 * @category Lang
	 * @param {*} value The value to compare.
	 * @param {*} other The other value to compare.
	 * @returns {boolean} Returns `true` if the values are equivalent, else `false`.
	 * @example
	 *
	 * var object = { 'a': 1 };
	 * var other = { 'a': 1 };
	 *
	 * _.eq(object, object);
	 * // => true
	 *
	 * _.eq(object, other);
	 * // => false
	 *
	 * _.eq('a', 'a');
	 * // => true
	 *
	 * _.eq('a', Object('a'));
	 * // => false
	 *
	 * _.eq(NaN, NaN);
	 * // => true
	 */
	function eq(value, other) {
	  return value === other || (value !== value && other !== other);
	}

	/**
	 * Checks if `value` is classified as a `Function` object.
	 *
	 * @static
	 * @memberOf _
	 * @since 0.1.0
	 * @category Lang
	 * @param {*} value The value to check.
	 * @returns {boolean} Returns `true` if `value` is a function, else `false`.
	 * @example
	 *
	 * _.isFunction(_);
	 * // => true
	 *
	 * _.isFunction(/abc/);
	 * // => false
	 */
	function isFunction(value) {
	  // The use of `Object#toString` avoids issues with the `typeof` operator
	  // in Safari 8-9 which returns 'object' for typed array and other constructors.
	  var tag = isObject(value) ? objectToString.call(value) : '';
	  return tag == funcTag || tag == genTag;
	}

	/**
	 * Checks if `value` is the
	 * [language type](http://www.ecma-international.org/ecma-262/7.0/#sec-ecmascript-language-types)
	 * of `Object`. (e.g. arrays, functions, objects, regexes, `new Number(0)`, and `new String('')`)
	 *
	 * @static
	 * @memberOf _
	 * @since 0.1.0
	 * @category Lang
	 * @param {*} value The value to check.
	 * @returns {boolean} Returns `true` if `value` is an object, else `false`.
	 * @example
	 *
	 * _.isObject({});
	 * // => true
	 *
	 * _.isObject([1, 2, 3]);
	 * // => true
	 *
	 * _.isObject(_.noop);
	 * // => true
	 *
	 * _.isObject(null);
	 * // => false
	 */
	function isObject(value) {
	  var type = typeof value;
	  return !!value && (type == 'object' || type == 'function');
	}

	/**
	 * This method returns `undefined`.
	 *
	 * @static
	 * @memberOf _
	 * @since 2.3.0
	 * @category Util
	 * @example
	 *
	 * _.times(2, _.noop);
	 * // => [undefined, undefined]
	 */
	function noop() {
	  // No operation performed.
	}

	lodash_uniqwith = uniqWith;
	return lodash_uniqwith;
}

var lodash_sortby = {exports: {}};

/**
 * lodash (Custom Build) <https://lodash.com/>
 * Build: `lodash modularize exports="npm" -o ./`
 * Copyright jQuery Foundation and other contributors <https://jquery.org/>
 * Released under MIT license <https://lodash.com/license>
 * Based on Underscore.js 1.8.3 <http://underscorejs.org/LICENSE>
 * Copyright Jeremy Ashkenas, DocumentCloud and Investigative Reporters & Editors
 */
lodash_sortby.exports;

var hasRequiredLodash_sortby;

function requireLodash_sortby () {
	if (hasRequiredLodash_sortby) return lodash_sortby.exports;
	hasRequiredLodash_sortby = 1;
	(function (module, exports$1) {
		/** Used as the size to enable large array optimizations. */
		var LARGE_ARRAY_SIZE = 200;

		/** Used as the `TypeError` message for "Functions" methods. */
		var FUNC_ERROR_TEXT = 'Expected a function';

		/** Used to stand-in for `undefined` hash values. */
		var HASH_UNDEFINED = '__lodash_hash_undefined__';

		/** Used to compose bitmasks for comparison styles. */
		var UNORDERED_COMPARE_FLAG = 1,
		    PARTIAL_COMPARE_FLAG = 2;

		/** Used as references for various `Number` constants. */
		var MAX_SAFE_INTEGER = 9007199254740991;

		/** `Object#toString` result references. */
		var argsTag = '[object Arguments]',
		    arrayTag = '[object Array]',
		    boolTag = '[object Boolean]',
		    dateTag = '[object Date]',
		    errorTag = '[object Error]',
		    funcTag = '[object Function]',
		    genTag = '[object GeneratorFunction]',
		    mapTag = '[object Map]',
		    numberTag = '[object Number]',
		    objectTag = '[object Object]',
		    promiseTag = '[object Promise]',
		    regexpTag = '[object RegExp]',
		    setTag = '[object Set]',
		    stringTag = '[object String]',
		    symbolTag = '[object Symbol]',
		    weakMapTag = '[object WeakMap]';

		var arrayBufferTag = '[object ArrayBuffer]',
		    dataViewTag = '[object DataView]',
		    float32Tag = '[object Float32Array]',
		    float64Tag = '[object Float64Array]',
		    int8Tag = '[object Int8Array]',
		    int16Tag = '[object Int16Array]',
		    int32Tag = '[object Int32Array]',
		    uint8Tag = '[object Uint8Array]',
		    uint8ClampedTag = '[object Uint8ClampedArray]',
		    uint16Tag = '[object Uint16Array]',
		    uint32Tag = '[object Uint32Array]';

		/** Used to match property names within property paths. */
		var reIsDeepProp = /\.|\[(?:[^[\]]*|(["'])(?:(?!\1)[^\\]|\\.)*?\1)\]/,
		    reIsPlainProp = /^\w*$/,
		    reLeadingDot = /^\./,
		    rePropName = /[^.[\]]+|\[(?:(-?\d+(?:\.\d+)?)|(["'])((?:(?!\2)[^\\]|\\.)*?)\2)\]|(?=(?:\.|\[\])(?:\.|\[\]|$))/g;

		/**
		 * Used to match `RegExp`
		 * [syntax characters](http://ecma-international.org/ecma-262/7.0/#sec-patterns).
		 */
		var reRegExpChar = /[\\^$.*+?()[\]{}|]/g;

		/** Used to match backslashes in property paths. */
		var reEscapeChar = /\\(\\)?/g;

		/** Used to detect host constructors (Safari). */
		var reIsHostCtor = /^\[object .+?Constructor\]$/;

		/** Used to detect unsigned integer values. */
		var reIsUint = /^(?:0|[1-9]\d*)$/;

		/** Used to identify `toStringTag` values of typed arrays. */
		var typedArrayTags = {};
		typedArrayTags[float32Tag] = typedArrayTags[float64Tag] =
		typedArrayTags[int8Tag] = typedArrayTags[int16Tag] =
		typedArrayTags[int32Tag] = typedArrayTags[uint8Tag] =
		typedArrayTags[uint8ClampedTag] = typedArrayTags[uint16Tag] =
		typedArrayTags[uint32Tag] = true;
		typedArrayTags[argsTag] = typedArrayTags[arrayTag] =
		typedArrayTags[arrayBufferTag] = typedArrayTags[boolTag] =
		typedArrayTags[dataViewTag] = typedArrayTags[dateTag] =
		typedArrayTags[errorTag] = typedArrayTags[funcTag] =
		typedArrayTags[mapTag] = typedArrayTags[numberTag] =
		typedArrayTags[objectTag] = typedArrayTags[regexpTag] =
		typedArrayTags[setTag] = typedArrayTags[stringTag] =
		typedArrayTags[weakMapTag] = false;

		/** Detect free variable `global` from Node.js. */
		var freeGlobal = typeof commonjsGlobal == 'object' && commonjsGlobal && commonjsGlobal.Object === Object && commonjsGlobal;

		/** Detect free variable `self`. */
		var freeSelf = typeof self == 'object' && self && self.Object === Object && self;

		/** Used as a reference to the global object. */
		var root = freeGlobal || freeSelf || Function('return this')();

		/** Detect free variable `exports`. */
		var freeExports = exports$1 && !exports$1.nodeType && exports$1;

		/** Detect free variable `module`. */
		var freeModule = freeExports && 'object' == 'object' && module && !module.nodeType && module;

		/** Detect the popular CommonJS extension `module.exports`. */
		var moduleExports = freeModule && freeModule.exports === freeExports;

		/** Detect free variable `process` from Node.js. */
		var freeProcess = moduleExports && freeGlobal.process;

		/** Used to access faster Node.js helpers. */
		var nodeUtil = (function() {
		  try {
		    return freeProcess && freeProcess.binding('util');
		  } catch (e) {}
		}());

		/* Node.js helper references. */
		var nodeIsTypedArray = nodeUtil && nodeUtil.isTypedArray;

		/**
		 * A faster alternative to `Function#apply`, this function invokes `func`
		 * with the `this` binding of `thisArg` and the arguments of `args`.
		 *
		 * @private
		 * @param {Function} func The function to invoke.
		 * @param {*} thisArg The `this` binding of `func`.
		 * @param {Array} args The arguments to invoke `func` with.
		 * @returns {*} Returns the result of `func`.
		 */
		function apply(func, thisArg, args) {
		  switch (args.length) {
		    case 0: return func.call(thisArg);
		    case 1: return func.call(thisArg, args[0]);
		    case 2: return func.call(thisArg, args[0], args[1]);
		    case 3: return func.call(thisArg, args[0], args[1], args[2]);
		  }
		  return func.apply(thisArg, args);
		}

		/**
		 * A specialized version of `_.map` for arrays without support for iteratee
		 * shorthands.
		 *
		 * @private
		 * @param {Array} [array] The array to iterate over.
		 * @param {Function} iteratee The function invoked per iteration.
		 * @returns {Array} Returns the new mapped array.
		 */
		function arrayMap(array, iteratee) {
		  var index = -1,
		      length = array ? array.length : 0,
		      result = Array(length);

		  while (++index < length) {
		    result[index] = iteratee(array[index], index, array);
		  }
		  return result;
		}

		/**
		 * Appends the elements of `values` to `array`.
		 *
		 * @private
		 * @param {Array} array The array to modify.
		 * @param {Array} values The values to append.
		 * @returns {Array} Returns `array`.
		 */
		function arrayPush(array, values) {
		  var index = -1,
		      length = values.length,
		      offset = array.length;

		  while (++index < length) {
		    array[offset + index] = values[index];
		  }
		  return array;
		}

		/**
		 * A specialized version of `_.some` for arrays without support for iteratee
		 * shorthands.
		 *
		 * @private
		 * @param {Array} [array] The array to iterate over.
		 * @param {Function} predicate The function invoked per iteration.
		 * @returns {boolean} Returns `true` if any element passes the predicate check,
		 *  else `false`.
		 */
		function arraySome(array, predicate) {
		  var index = -1,
		      length = array ? array.length : 0;

		  while (++index < length) {
		    if (predicate(array[index], index, array)) {
		      return true;
		    }
		  }
		  return false;
		}

		/**
		 * The base implementation of `_.property` without support for deep paths.
		 *
		 * @private
		 * @param {string} key The key of the property to get.
		 * @returns {Function} Returns the new accessor function.
		 */
		function baseProperty(key) {
		  return function(object) {
		    return object == null ? undefined : object[key];
		  };
		}

		/**
		 * The base implementation of `_.sortBy` which uses `comparer` to define the
		 * sort order of `array` and replaces criteria objects with their corresponding
		 * values.
		 *
		 * @private
		 * @param {Array} array The array to sort.
		 * @param {Function} comparer The function to define sort order.
		 * @returns {Array} Returns `array`.
		 */
		function baseSortBy(array, comparer) {
		  var length = array.length;

		  array.sort(comparer);
		  while (length--) {
		    array[length] = array[length].value;
		  }
		  return array;
		}

		/**
		 * The base implementation of `_.times` without support for iteratee shorthands
		 * or max array length checks.
		 *
		 * @private
		 * @param {number} n The number of times to invoke `iteratee`.
		 * @param {Function} iteratee The function invoked per iteration.
		 * @returns {Array} Returns the array of results.
		 */
		function baseTimes(n, iteratee) {
		  var index = -1,
		      result = Array(n);

		  while (++index < n) {
		    result[index] = iteratee(index);
		  }
		  return result;
		}

		/**
		 * The base implementation of `_.unary` without support for storing metadata.
		 *
		 * @private
		 * @param {Function} func The function to cap arguments for.
		 * @returns {Function} Returns the new capped function.
		 */
		function baseUnary(func) {
		  return function(value) {
		    return func(value);
		  };
		}

		/**
		 * Gets the value at `key` of `object`.
		 *
		 * @private
		 * @param {Object} [object] The object to query.
		 * @param {string} key The key of the property to get.
		 * @returns {*} Returns the property value.
		 */
		function getValue(object, key) {
		  return object == null ? undefined : object[key];
		}

		/**
		 * Checks if `value` is a host object in IE < 9.
		 *
		 * @private
		 * @param {*} value The value to check.
		 * @returns {boolean} Returns `true` if `value` is a host object, else `false`.
		 */
		function isHostObject(value) {
		  // Many host objects are `Object` objects that can coerce to strings
		  // despite having improperly defined `toString` methods.
		  var result = false;
		  if (value != null && typeof value.toString != 'function') {
		    try {
		      result = !!(value + '');
		    } catch (e) {}
		  }
		  return result;
		}

		/**
		 * Converts `map` to its key-value pairs.
		 *
		 * @private
		 * @param {Object} map The map to convert.
		 * @returns {Array} Returns the key-value pairs.
		 */
		function mapToArray(map) {
		  var index = -1,
		      result = Array(map.size);

		  map.forEach(function(value, key) {
		    result[++index] = [key, value];
		  });
		  return result;
		}

		/**
		 * Creates a unary function that invokes `func` with its argument transformed.
		 *
		 * @private
		 * @param {Function} func The function to wrap.
		 * @param {Function} transform The argument transform.
		 * @returns {Function} Returns the new function.
		 */
		function overArg(func, transform) {
		  return function(arg) {
		    return func(transform(arg));
		  };
		}

		/**
		 * Converts `set` to an array of its values.
		 *
		 * @private
		 * @param {Object} set The set to convert.
		 * @returns {Array} Returns the values.
		 */
		function setToArray(set) {
		  var index = -1,
		      result = Array(set.size);

		  set.forEach(function(value) {
		    result[++index] = value;
		  });
		  return result;
		}

		/** Used for built-in method references. */
		var arrayProto = Array.prototype,
		    funcProto = Function.prototype,
		    objectProto = Object.prototype;

		/** Used to detect overreaching core-js shims. */
		var coreJsData = root['__core-js_shared__'];

		/** Used to detect methods masquerading as native. */
		var maskSrcKey = (function() {
		  var uid = /[^.]+$/.exec(coreJsData && coreJsData.keys && coreJsData.keys.IE_PROTO || '');
		  return uid ? ('Symbol(src)_1.' + uid) : '';
		}());

		/** Used to resolve the decompiled source of functions. */
		var funcToString = funcProto.toString;

		/** Used to check objects for own properties. */
		var hasOwnProperty = objectProto.hasOwnProperty;

		/**
		 * Used to resolve the
		 * [`toStringTag`](http://ecma-international.org/ecma-262/7.0/#sec-object.prototype.tostring)
		 * of values.
		 */
		var objectToString = objectProto.toString;

		/** Used to detect if a method is native. */
		var reIsNative = RegExp('^' +
		  funcToString.call(hasOwnProperty).replace(reRegExpChar, '\\$&')
		  .replace(/hasOwnProperty|(function).*?(?=\\\()| for .+?(?=\\\])/g, '$1.*?') + '$'
		);

		/** Built-in value references. */
		var Symbol = root.Symbol,
		    Uint8Array = root.Uint8Array,
		    propertyIsEnumerable = objectProto.propertyIsEnumerable,
		    splice = arrayProto.splice,
		    spreadableSymbol = Symbol ? Symbol.isConcatSpreadable : undefined;

		/* Built-in method references for those with the same name as other `lodash` methods. */
		var nativeKeys = overArg(Object.keys, Object),
		    nativeMax = Math.max;

		/* Built-in method references that are verified to be native. */
		var DataView = getNative(root, 'DataView'),
		    Map = getNative(root, 'Map'),
		    Promise = getNative(root, 'Promise'),
		    Set = getNative(root, 'Set'),
		    WeakMap = getNative(root, 'WeakMap'),
		    nativeCreate = getNative(Object, 'create');

		/** Used to detect maps, sets, and weakmaps. */
		var dataViewCtorString = toSource(DataView),
		    mapCtorString = toSource(Map),
		    promiseCtorString = toSource(Promise),
		    setCtorString = toSource(Set),
		    weakMapCtorString = toSource(WeakMap);

		/** Used to convert symbols to primitives and strings. */
		var symbolProto = Symbol ? Symbol.prototype : undefined,
		    symbolValueOf = symbolProto ? symbolProto.valueOf : undefined,
		    symbolToString = symbolProto ? symbolProto.toString : undefined;

		/**
		 * Creates a hash object.
		 *
		 * @private
		 * @constructor
		 * @param {Array} [entries] The key-value pairs to cache.
		 */
		function Hash(entries) {
		  var index = -1,
		      length = entries ? entries.length : 0;

		  this.clear();
		  while (++index < length) {
		    var entry = entries[index];
		    this.set(entry[0], entry[1]);
		  }
		}

		/**
		 * Removes all key-value entries from the hash.
		 *
		 * @private
		 * @name clear
		 * @memberOf Hash
		 */
		function hashClear() {
		  this.__data__ = nativeCreate ? nativeCreate(null) : {};
		}

		/**
		 * Removes `key` and its value from the hash.
		 *
		 * @private
		 * @name delete
		 * @memberOf Hash
		 * @param {Object} hash The hash to modify.
		 * @param {string} key The key of the value to remove.
		 * @returns {boolean} Returns `true` if the entry was removed, else `false`.
		 */
		function hashDelete(key) {
		  return this.has(key) && delete this.__data__[key];
		}

		/**
		 * Gets the hash value for `key`.
		 *
		 * @private
		 * @name get
		 * @memberOf Hash
		 * @param {string} key The key of the value to get.
		 * @returns {*} Returns the entry value.
		 */
		function hashGet(key) {
		  var data = this.__data__;
		  if (nativeCreate) {
		    var result = data[key];
		    return result === HASH_UNDEFINED ? undefined : result;
		  }
		  return hasOwnProperty.call(data, key) ? data[key] : undefined;
		}

		/**
		 * Checks if a hash value for `key` exists.
		 *
		 * @private
		 * @name has
		 * @memberOf Hash
		 * @param {string} key The key of the entry to check.
		 * @returns {boolean} Returns `true` if an entry for `key` exists, else `false`.
		 */
		function hashHas(key) {
		  var data = this.__data__;
		  return nativeCreate ? data[key] !== undefined : hasOwnProperty.call(data, key);
		}

		/**
		 * Sets the hash `key` to `value`.
		 *
		 * @private
		 * @name set
		 * @memberOf Hash
		 * @param {string} key The key of the value to set.
		 * @param {*} value The value to set.
		 * @returns {Object} Returns the hash instance.
		 */
		function hashSet(key, value) {
		  var data = this.__data__;
		  data[key] = (nativeCreate && value === undefined) ? HASH_UNDEFINED : value;
		  return this;
		}

		// Add methods to `Hash`.
		Hash.prototype.clear = hashClear;
		Hash.prototype['delete'] = hashDelete;
		Hash.prototype.get = hashGet;
		Hash.prototype.has = hashHas;
		Hash.prototype.set = hashSet;

		/**
		 * Creates an list cache object.
		 *
		 * @private
		 * @constructor
		 * @param {Array} [entries] The key-value pairs to cache.
		 */
		function ListCache(entries) {
		  var index = -1,
		      length = entries ? entries.length : 0;

		  this.clear();
		  while (++index < length) {
		    var entry = entries[index];
		    this.set(entry[0], entry[1]);
		  }
		}

		/**
		 * Removes all key-value entries from the list cache.
		 *
		 * @private
		 * @name clear
		 * @memberOf ListCache
		 */
		function listCacheClear() {
		  this.__data__ = [];
		}

		/**
		 * Removes `key` and its value from the list cache.
		 *
		 * @private
		 * @name delete
		 * @memberOf ListCache
		 * @param {string} key The key of the value to remove.
		 * @returns {boolean} Returns `true` if the entry was removed, else `false`.
		 */
		function listCacheDelete(key) {
		  var data = this.__data__,
		      index = assocIndexOf(data, key);

		  if (index < 0) {
		    return false;
		  }
		  var lastIndex = data.length - 1;
		  if (index == lastIndex) {
		    data.pop();
		  } else {
		    splice.call(data, index, 1);
		  }
		  return true;
		}

		/**
		 * Gets the list cache value for `key`.
		 *
		 * @private
		 * @name get
		 * @memberOf ListCache
		 * @param {string} key The key of the value to get.
		 * @returns {*} Returns the entry value.
		 */
		function listCacheGet(key) {
		  var data = this.__data__,
		      index = assocIndexOf(data, key);

		  return index < 0 ? undefined : data[index][1];
		}

		/**
		 * Checks if a list cache value for `key` exists.
		 *
		 * @private
		 * @name has
		 * @memberOf ListCache
		 * @param {string} key The key of the entry to check.
		 * @returns {boolean} Returns `true` if an entry for `key` exists, else `false`.
		 */
		function listCacheHas(key) {
		  return assocIndexOf(this.__data__, key) > -1;
		}

		/**
		 * Sets the list cache `key` to `value`.
		 *
		 * @private
		 * @name set
		 * @memberOf ListCache
		 * @param {string} key The key of the value to set.
		 * @param {*} value The value to set.
		 * @returns {Object} Returns the list cache instance.
		 */
		function listCacheSet(key, value) {
		  var data = this.__data__,
		      index = assocIndexOf(data, key);

		  if (index < 0) {
		    data.push([key, value]);
		  } else {
		    data[index][1] = value;
		  }
		  return this;
		}

		// Add methods to `ListCache`.
		ListCache.prototype.clear = listCacheClear;
		ListCache.prototype['delete'] = listCacheDelete;
		ListCache.prototype.get = listCacheGet;
		ListCache.prototype.has = listCacheHas;
		ListCache.prototype.set = listCacheSet;

		/**
		 * Creates a map cache object to store key-value pairs.
		 *
		 * @private
		 * @constructor
		 * @param {Array} [entries] The key-value pairs to cache.
		 */
		function MapCache(entries) {
		  var index = -1,
		      length = entries ? entries.length : 0;

		  this.clear();
		  while (++index < length) {
		    var entry = entries[index];
		    this.set(entry[0], entry[1]);
		  }
		}

		/**
		 * Removes all key-value entries from the map.
		 *
		 * @private
		 * @name clear
		 * @memberOf MapCache
		 */
		function mapCacheClear() {
		  this.__data__ = {
		    'hash': new Hash,
		    'map': new (Map || ListCache),
		    'string': new Hash
		  };
		}

		/**
		 * Removes `key` and its value from the map.
		 *
		 * @private
		 * @name delete
		 * @memberOf MapCache
		 * @param {string} key The key of the value to remove.
		 * @returns {boolean} Returns `true` if the entry was removed, else `false`.
		 */
		function mapCacheDelete(key) {
		  return getMapData(this, key)['delete'](key);
		}

		/**
		 * Gets the map value for `key`.
		 *
		 * @private
		 * @name get
		 * @memberOf MapCache
		 * @param {string} key The key of the value to get.
		 * @returns {*} Returns the entry value.
		 */
		function mapCacheGet(key) {
		  return getMapData(this, key).get(key);
		}

		/**
		 * Checks if a map value for `key` exists.
		 *
		 * @private
		 * @name has
		 * @memberOf MapCache
		 * @param {string} key The key of the entry to check.
		 * @returns {boolean} Returns `true` if an entry for `key` exists, else `false`.
		 */
		function mapCacheHas(key) {
		  return getMapData(this, key).has(key);
		}

		/**
		 * Sets the map `key` to `value`.
		 *
		 * @private
		 * @name set
		 * @memberOf MapCache
		 * @param {string} key The key of the value to set.
		 * @param {*} value The value to set.
		 * @returns {Object} Returns the map cache instance.
		 */
		function mapCacheSet(key, value) {
		  getMapData(this, key).set(key, value);
		  return this;
		}

		// Add methods to `MapCache`.
		MapCache.prototype.clear = mapCacheClear;
		MapCache.prototype['delete'] = mapCacheDelete;
		MapCache.prototype.get = mapCacheGet;
		MapCache.prototype.has = mapCacheHas;
		MapCache.prototype.set = mapCacheSet;

		/**
		 *
		 * Creates an array cache object to store unique values.
		 *
		 * @private
		 * @constructor
		 * @param {Array} [values] The values to cache.
		 */
		function SetCache(values) {
		  var index = -1,
		      length = values ? values.length : 0;

		  this.__data__ = new MapCache;
		  while (++index < length) {
		    this.add(values[index]);
		  }
		}

		/**
		 * Adds `value` to the array cache.
		 *
		 * @private
		 * @name add
		 * @memberOf SetCache
		 * @alias push
		 * @param {*} value The value to cache.
		 * @returns {Object} Returns the cache instance.
		 */
		function setCacheAdd(value) {
		  this.__data__.set(value, HASH_UNDEFINED);
		  return this;
		}

		/**
		 * Checks if `value` is in the array cache.
		 *
		 * @private
		 * @name has
		 * @memberOf SetCache
		 * @param {*} value The value to search for.
		 * @returns {number} Returns `true` if `value` is found, else `false`.
		 */
		function setCacheHas(value) {
		  return this.__data__.has(value);
		}

		// Add methods to `SetCache`.
		SetCache.prototype.add = SetCache.prototype.push = setCacheAdd;
		SetCache.prototype.has = setCacheHas;

		/**
		 * Creates a stack cache object to store key-value pairs.
		 *
		 * @private
		 * @constructor
		 * @param {Array} [entries] The key-value pairs to cache.
		 */
		function Stack(entries) {
		  this.__data__ = new ListCache(entries);
		}

		/**
		 * Removes all key-value entries from the stack.
		 *
		 * @private
		 * @name clear
		 * @memberOf Stack
		 */
		function stackClear() {
		  this.__data__ = new ListCache;
		}

		/**
		 * Removes `key` and its value from the stack.
		 *
		 * @private
		 * @name delete
		 * @memberOf Stack
		 * @param {string} key The key of the value to remove.
		 * @returns {boolean} Returns `true` if the entry was removed, else `false`.
		 */
		function stackDelete(key) {
		  return this.__data__['delete'](key);
		}

		/**
		 * Gets the stack value for `key`.
		 *
		 * @private
		 * @name get
		 * @memberOf Stack
		 * @param {string} key The key of the value to get.
		 * @returns {*} Returns the entry value.
		 */
		function stackGet(key) {
		  return this.__data__.get(key);
		}

		/**
		 * Checks if a stack value for `key` exists.
		 *
		 * @private
		 * @name has
		 * @memberOf Stack
		 * @param {string} key The key of the entry to check.
		 * @returns {boolean} Returns `true` if an entry for `key` exists, else `false`.
		 */
		function stackHas(key) {
		  return this.__data__.has(key);
		}

		/**
		 * Sets the stack `key` to `value`.
		 *
		 * @private
		 * @name set
		 * @memberOf Stack
		 * @param {string} key The key of the value to set.
		 * @param {*} value The value to set.
		 * @returns {Object} Returns the stack cache instance.
		 */
		function stackSet(key, value) {
		  var cache = this.__data__;
		  if (cache instanceof ListCache) {
		    var pairs = cache.__data__;
		    if (!Map || (pairs.length < LARGE_ARRAY_SIZE - 1)) {
		      pairs.push([key, value]);
		      return this;
		    }
		    cache = this.__data__ = new MapCache(pairs);
		  }
		  cache.set(key, value);
		  return this;
		}

		// Add methods to `Stack`.
		Stack.prototype.clear = stackClear;
		Stack.prototype['delete'] = stackDelete;
		Stack.prototype.get = stackGet;
		Stack.prototype.has = stackHas;
		Stack.prototype.set = stackSet;

		/**
		 * Creates an array of the enumerable property names of the array-like `value`.
		 *
		 * @private
		 * @param {*} value The value to query.
		 * @param {boolean} inherited Specify returning inherited property names.
		 * @returns {Array} Returns the array of property names.
		 */
		function arrayLikeKeys(value, inherited) {
		  // Safari 8.1 makes `arguments.callee` enumerable in strict mode.
		  // Safari 9 makes `arguments.length` enumerable in strict mode.
		  var result = (isArray(value) || isArguments(value))
		    ? baseTimes(value.length, String)
		    : [];

		  var length = result.length,
		      skipIndexes = !!length;

		  for (var key in value) {
		    if ((hasOwnProperty.call(value, key)) &&
		        !(skipIndexes && (key == 'length' || isIndex(key, length)))) {
		      result.push(key);
		    }
		  }
		  return result;
		}

		/**
		 * Gets the index at which the `key` is found in `array` of key-value pairs.
		 *
		 * @private
		 * @param {Array} array The array to inspect.
		 * @param {*} key The key to search for.
		 * @returns {number} Returns the index of the matched value, else `-1`.
		 */
		function assocIndexOf(array, key) {
		  var length = array.length;
		  while (length--) {
		    if (eq(array[length][0], key)) {
		      return length;
		    }
		  }
		  return -1;
		}

		/**
		 * The base implementation of `_.forEach` without support for iteratee shorthands.
		 *
		 * @private
		 * @param {Array|Object} collection The collection to iterate over.
		 * @param {Function} iteratee The function invoked per iteration.
		 * @returns {Array|Object} Returns `collection`.
		 */
		var baseEach = createBaseEach(baseForOwn);

		/**
		 * The base implementation of `_.flatten` with support for restricting flattening.
		 *
		 * @private
		 * @param {Array} array The array to flatten.
		 * @param {number} depth The maximum recursion depth.
		 * @param {boolean} [predicate=isFlattenable] The function invoked per iteration.
		 * @param {boolean} [isStrict] Restrict to values that pass `predicate` checks.
		 * @param {Array} [result=[]] The initial result value.
		 * @returns {Array} Returns the new flattened array.
		 */
		function baseFlatten(array, depth, predicate, isStrict, result) {
		  var index = -1,
		      length = array.length;

		  predicate || (predicate = isFlattenable);
		  result || (result = []);

		  while (++index < length) {
		    var value = array[index];
		    if (predicate(value)) {
		      {
		        arrayPush(result, value);
		      }
		    } else {
		      result[result.length] = value;
		    }
		  }
		  return result;
		}

		/**
		 * The base implementation of `baseForOwn` which iterates over `object`
		 * properties returned by `keysFunc` and invokes `iteratee` for each property.
		 * Iteratee functions may exit iteration early by explicitly returning `false`.
		 *
		 * @private
		 * @param {Object} object The object to iterate over.
		 * @param {Function} iteratee The function invoked per iteration.
		 * @param {Function} keysFunc The function to get the keys of `object`.
		 * @returns {Object} Returns `object`.
		 */
		var baseFor = createBaseFor();

		/**
		 * The base implementation of `_.forOwn` without support for iteratee shorthands.
		 *
		 * @private
		 * @param {Object} object The object to iterate over.
		 * @param {Function} iteratee The function invoked per iteration.
		 * @returns {Object} Returns `object`.
		 */
		function baseForOwn(object, iteratee) {
		  return object && baseFor(object, iteratee, keys);
		}

		/**
		 * The base implementation of `_.get` without support for default values.
		 *
		 * @private
		 * @param {Object} object The object to query.
		 * @param {Array|string} path The path of the property to get.
		 * @returns {*} Returns the resolved value.
		 */
		function baseGet(object, path) {
		  path = isKey(path, object) ? [path] : castPath(path);

		  var index = 0,
		      length = path.length;

		  while (object != null && index < length) {
		    object = object[toKey(path[index++])];
		  }
		  return (index && index == length) ? object : undefined;
		}

		/**
		 * The base implementation of `getTag`.
		 *
		 * @private
		 * @param {*} value The value to query.
		 * @returns {string} Returns the `toStringTag`.
		 */
		function baseGetTag(value) {
		  return objectToString.call(value);
		}

		/**
		 * The base implementation of `_.hasIn` without support for deep paths.
		 *
		 * @private
		 * @param {Object} [object] The object to query.
		 * @param {Array|string} key The key to check.
		 * @returns {boolean} Returns `true` if `key` exists, else `false`.
		 */
		function baseHasIn(object, key) {
		  return object != null && key in Object(object);
		}

		/**
		 * The base implementation of `_.isEqual` which supports partial comparisons
		 * and tracks traversed objects.
		 *
		 * @private
		 * @param {*} value The value to compare.
		 * @param {*} other The other value to compare.
		 * @param {Function} [customizer] The function to customize comparisons.
		 * @param {boolean} [bitmask] The bitmask of comparison flags.
		 *  The bitmask may be composed of the following flags:
		 *     1 - Unordered comparison
		 *     2 - Partial comparison
		 * @param {Object} [stack] Tracks traversed `value` and `other` objects.
		 * @returns {boolean} Returns `true` if the values are equivalent, else `false`.
		 */
		function baseIsEqual(value, other, customizer, bitmask, stack) {
		  if (value === other) {
		    return true;
		  }
		  if (value == null || other == null || (!isObject(value) && !isObjectLike(other))) {
		    return value !== value && other !== other;
		  }
		  return baseIsEqualDeep(value, other, baseIsEqual, customizer, bitmask, stack);
		}

		/**
		 * A specialized version of `baseIsEqual` for arrays and objects which performs
		 * deep comparisons and tracks traversed objects enabling objects with circular
		 * references to be compared.
		 *
		 * @private
		 * @param {Object} object The object to compare.
		 * @param {Object} other The other object to compare.
		 * @param {Function} equalFunc The function to determine equivalents of values.
		 * @param {Function} [customizer] The function to customize comparisons.
		 * @param {number} [bitmask] The bitmask of comparison flags. See `baseIsEqual`
		 *  for more details.
		 * @param {Object} [stack] Tracks traversed `object` and `other` objects.
		 * @returns {boolean} Returns `true` if the objects are equivalent, else `false`.
		 */
		function baseIsEqualDeep(object, other, equalFunc, customizer, bitmask, stack) {
		  var objIsArr = isArray(object),
		      othIsArr = isArray(other),
		      objTag = arrayTag,
		      othTag = arrayTag;

		  if (!objIsArr) {
		    objTag = getTag(object);
		    objTag = objTag == argsTag ? objectTag : objTag;
		  }
		  if (!othIsArr) {
		    othTag = getTag(other);
		    othTag = othTag == argsTag ? objectTag : othTag;
		  }
		  var objIsObj = objTag == objectTag && !isHostObject(object),
		      othIsObj = othTag == objectTag && !isHostObject(other),
		      isSameTag = objTag == othTag;

		  if (isSameTag && !objIsObj) {
		    stack || (stack = new Stack);
		    return (objIsArr || isTypedArray(object))
		      ? equalArrays(object, other, equalFunc, customizer, bitmask, stack)
		      : equalByTag(object, other, objTag, equalFunc, customizer, bitmask, stack);
		  }
		  if (!(bitmask & PARTIAL_COMPARE_FLAG)) {
		    var objIsWrapped = objIsObj && hasOwnProperty.call(object, '__wrapped__'),
		        othIsWrapped = othIsObj && hasOwnProperty.call(other, '__wrapped__');

		    if (objIsWrapped || othIsWrapped) {
		      var objUnwrapped = objIsWrapped ? object.value() : object,
		          othUnwrapped = othIsWrapped ? other.value() : other;

		      stack || (stack = new Stack);
		      return equalFunc(objUnwrapped, othUnwrapped, customizer, bitmask, stack);
		    }
		  }
		  if (!isSameTag) {
		    return false;
		  }
		  stack || (stack = new Stack);
		  return equalObjects(object, other, equalFunc, customizer, bitmask, stack);
		}

		/**
		 * The base implementation of `_.isMatch` without support for iteratee shorthands.
		 *
		 * @private
		 * @param {Object} object The object to inspect.
		 * @param {Object} source The object of property values to match.
		 * @param {Array} matchData The property names, values, and compare flags to match.
		 * @param {Function} [customizer] The function to customize comparisons.
		 * @returns {boolean} Returns `true` if `object` is a match, else `false`.
		 */
		function baseIsMatch(object, source, matchData, customizer) {
		  var index = matchData.length,
		      length = index;

		  if (object == null) {
		    return !length;
		  }
		  object = Object(object);
		  while (index--) {
		    var data = matchData[index];
		    if ((data[2])
		          ? data[1] !== object[data[0]]
		          : !(data[0] in object)
		        ) {
		      return false;
		    }
		  }
		  while (++index < length) {
		    data = matchData[index];
		    var key = data[0],
		        objValue = object[key],
		        srcValue = data[1];

		    if (data[2]) {
		      if (objValue === undefined && !(key in object)) {
		        return false;
		      }
		    } else {
		      var stack = new Stack;
		      var result; 
		      if (!(result === undefined
		            ? baseIsEqual(srcValue, objValue, customizer, UNORDERED_COMPARE_FLAG | PARTIAL_COMPARE_FLAG, stack)
		            : result
		          )) {
		        return false;
		      }
		    }
		  }
		  return true;
		}

		/**
		 * The base implementation of `_.isNative` without bad shim checks.
		 *
		 * @private
		 * @param {*} value The value to check.
		 * @returns {boolean} Returns `true` if `value` is a native function,
		 *  else `false`.
		 */
		function baseIsNative(value) {
		  if (!isObject(value) || isMasked(value)) {
		    return false;
		  }
		  var pattern = (isFunction(value) || isHostObject(value)) ? reIsNative : reIsHostCtor;
		  return pattern.test(toSource(value));
		}

		/**
		 * The base implementation of `_.isTypedArray` without Node.js optimizations.
		 *
		 * @private
		 * @param {*} value The value to check.
		 * @returns {boolean} Returns `true` if `value` is a typed array, else `false`.
		 */
		function baseIsTypedArray(value) {
		  return isObjectLike(value) &&
		    isLength(value.length) && !!typedArrayTags[objectToString.call(value)];
		}

		/**
		 * The base implementation of `_.iteratee`.
		 *
		 * @private
		 * @param {*} [value=_.identity] The value to convert to an iteratee.
		 * @returns {Function} Returns the iteratee.
		 */
		function baseIteratee(value) {
		  // Don't store the `typeof` result in a variable to avoid a JIT bug in Safari 9.
		  // See https://bugs.webkit.org/show_bug.cgi?id=156034 for more details.
		  if (typeof value == 'function') {
		    return value;
		  }
		  if (value == null) {
		    return identity;
		  }
		  if (typeof value == 'object') {
		    return isArray(value)
		      ? baseMatchesProperty(value[0], value[1])
		      : baseMatches(value);
		  }
		  return property(value);
		}

		/**
		 * The base implementation of `_.keys` which doesn't treat sparse arrays as dense.
		 *
		 * @private
		 * @param {Object} object The object to query.
		 * @returns {Array} Returns the array of property names.
		 */
		function baseKeys(object) {
		  if (!isPrototype(object)) {
		    return nativeKeys(object);
		  }
		  var result = [];
		  for (var key in Object(object)) {
		    if (hasOwnProperty.call(object, key) && key != 'constructor') {
		      result.push(key);
		    }
		  }
		  return result;
		}

		/**
		 * The base implementation of `_.map` without support for iteratee shorthands.
		 *
		 * @private
		 * @param {Array|Object} collection The collection to iterate over.
		 * @param {Function} iteratee The function invoked per iteration.
		 * @returns {Array} Returns the new mapped array.
		 */
		function baseMap(collection, iteratee) {
		  var index = -1,
		      result = isArrayLike(collection) ? Array(collection.length) : [];

		  baseEach(collection, function(value, key, collection) {
		    result[++index] = iteratee(value, key, collection);
		  });
		  return result;
		}

		/**
		 * The base implementation of `_.matches` which doesn't clone `source`.
		 *
		 * @private
		 * @param {Object} source The object of property values to match.
		 * @returns {Function} Returns the new spec function.
		 */
		function baseMatches(source) {
		  var matchData = getMatchData(source);
		  if (matchData.length == 1 && matchData[0][2]) {
		    return matchesStrictComparable(matchData[0][0], matchData[0][1]);
		  }
		  return function(object) {
		    return object === source || baseIsMatch(object, source, matchData);
		  };
		}

		/**
		 * The base implementation of `_.matchesProperty` which doesn't clone `srcValue`.
		 *
		 * @private
		 * @param {string} path The path of the property to get.
		 * @param {*} srcValue The value to match.
		 * @returns {Function} Returns the new spec function.
		 */
		function baseMatchesProperty(path, srcValue) {
		  if (isKey(path) && isStrictComparable(srcValue)) {
		    return matchesStrictComparable(toKey(path), srcValue);
		  }
		  return function(object) {
		    var objValue = get(object, path);
		    return (objValue === undefined && objValue === srcValue)
		      ? hasIn(object, path)
		      : baseIsEqual(srcValue, objValue, undefined, UNORDERED_COMPARE_FLAG | PARTIAL_COMPARE_FLAG);
		  };
		}

		/**
		 * The base implementation of `_.orderBy` without param guards.
		 *
		 * @private
		 * @param {Array|Object} collection The collection to iterate over.
		 * @param {Function[]|Object[]|string[]} iteratees The iteratees to sort by.
		 * @param {string[]} orders The sort orders of `iteratees`.
		 * @returns {Array} Returns the new sorted array.
		 */
		function baseOrderBy(collection, iteratees, orders) {
		  var index = -1;
		  iteratees = arrayMap(iteratees.length ? iteratees : [identity], baseUnary(baseIteratee));

		  var result = baseMap(collection, function(value, key, collection) {
		    var criteria = arrayMap(iteratees, function(iteratee) {
		      return iteratee(value);
		    });
		    return { 'criteria': criteria, 'index': ++index, 'value': value };
		  });

		  return baseSortBy(result, function(object, other) {
		    return compareMultiple(object, other, orders);
		  });
		}

		/**
		 * A specialized version of `baseProperty` which supports deep paths.
		 *
		 * @private
		 * @param {Array|string} path The path of the property to get.
		 * @returns {Function} Returns the new accessor function.
		 */
		function basePropertyDeep(path) {
		  return function(object) {
		    return baseGet(object, path);
		  };
		}

		/**
		 * The base implementation of `_.rest` which doesn't validate or coerce arguments.
		 *
		 * @private
		 * @param {Function} func The function to apply a rest parameter to.
		 * @param {number} [start=func.length-1] The start position of the rest parameter.
		 * @returns {Function} Returns the new function.
		 */
		function baseRest(func, start) {
		  start = nativeMax(start === undefined ? (func.length - 1) : start, 0);
		  return function() {
		    var args = arguments,
		        index = -1,
		        length = nativeMax(args.length - start, 0),
		        array = Array(length);

		    while (++index < length) {
		      array[index] = args[start + index];
		    }
		    index = -1;
		    var otherArgs = Array(start + 1);
		    while (++index < start) {
		      otherArgs[index] = args[index];
		    }
		    otherArgs[start] = array;
		    return apply(func, this, otherArgs);
		  };
		}

		/**
		 * The base implementation of `_.toString` which doesn't convert nullish
		 * values to empty strings.
		 *
		 * @private
		 * @param {*} value The value to process.
		 * @returns {string} Returns the string.
		 */
		function baseToString(value) {
		  // Exit early for strings to avoid a performance hit in some environments.
		  if (typeof value == 'string') {
		    return value;
		  }
		  if (isSymbol(value)) {
		    return symbolToString ? symbolToString.call(value) : '';
		  }
		  var result = (value + '');
		  return (result == '0' && (1 / value) == -Infinity) ? '-0' : result;
		}

		/**
		 * Casts `value` to a path array if it's not one.
		 *
		 * @private
		 * @param {*} value The value to inspect.
		 * @returns {Array} Returns the cast property path array.
		 */
		function castPath(value) {
		  return isArray(value) ? value : stringToPath(value);
		}

		/**
		 * Compares values to sort them in ascending order.
		 *
		 * @private
		 * @param {*} value The value to compare.
		 * @param {*} other The other value to compare.
		 * @returns {number} Returns the sort order indicator for `value`.
		 */
		function compareAscending(value, other) {
		  if (value !== other) {
		    var valIsDefined = value !== undefined,
		        valIsNull = value === null,
		        valIsReflexive = value === value,
		        valIsSymbol = isSymbol(value);

		    var othIsDefined = other !== undefined,
		        othIsNull = other === null,
		        othIsReflexive = other === other,
		        othIsSymbol = isSymbol(other);

		    if ((!othIsNull && !othIsSymbol && !valIsSymbol && value > other) ||
		        (valIsSymbol && othIsDefined && othIsReflexive && !othIsNull && !othIsSymbol) ||
		        (valIsNull && othIsDefined && othIsReflexive) ||
		        (!valIsDefined && othIsReflexive) ||
		        !valIsReflexive) {
		      return 1;
		    }
		    if ((!valIsNull && !valIsSymbol && !othIsSymbol && value < other) ||
		        (othIsSymbol && valIsDefined && valIsReflexive && !valIsNull && !valIsSymbol) ||
		        (othIsNull && valIsDefined && valIsReflexive) ||
		        (!othIsDefined && valIsReflexive) ||
		        !othIsReflexive) {
		      return -1;
		    }
		  }
		  return 0;
		}

		/**
		 * Used by `_.orderBy` to compare multiple properties of a value to another
		 * and stable sort them.
		 *
		 * If `orders` is unspecified, all values are sorted in ascending order. Otherwise,
		 * specify an order of "desc" for descending or "asc" for ascending sort order
		 * of corresponding values.
		 *
		 * @private
		 * @param {Object} object The object to compare.
		 * @param {Object} other The other object to compare.
		 * @param {boolean[]|string[]} orders The order to sort by for each property.
		 * @returns {number} Returns the sort order indicator for `object`.
		 */
		function compareMultiple(object, other, orders) {
		  var index = -1,
		      objCriteria = object.criteria,
		      othCriteria = other.criteria,
		      length = objCriteria.length,
		      ordersLength = orders.length;

		  while (++index < length) {
		    var result = compareAscending(objCriteria[index], othCriteria[index]);
		    if (result) {
		      if (index >= ordersLength) {
		        return result;
		      }
		      var order = orders[index];
		      return result * (order == 'desc' ? -1 : 1);
		    }
		  }
		  // Fixes an `Array#sort` bug in the JS engine embedded in Adobe applications
		  // that causes it, under certain circumstances, to provide the same value for
		  // `object` and `other`. See https://github.com/jashkenas/underscore/pull/1247
		  // for more details.
		  //
		  // This also ensures a stable sort in V8 and other engines.
		  // See https://bugs.chromium.org/p/v8/issues/detail?id=90 for more details.
		  return object.index - other.index;
		}

		/**
		 * Creates a `baseEach` or `baseEachRight` function.
		 *
		 * @private
		 * @param {Function} eachFunc The function to iterate over a collection.
		 * @param {boolean} [fromRight] Specify iterating from right to left.
		 * @returns {Function} Returns the new base function.
		 */
		function createBaseEach(eachFunc, fromRight) {
		  return function(collection, iteratee) {
		    if (collection == null) {
		      return collection;
		    }
		    if (!isArrayLike(collection)) {
		      return eachFunc(collection, iteratee);
		    }
		    var length = collection.length,
		        index = -1,
		        iterable = Object(collection);

		    while ((++index < length)) {
		      if (iteratee(iterable[index], index, iterable) === false) {
		        break;
		      }
		    }
		    return collection;
		  };
		}

		/**
		 * Creates a base function for methods like `_.forIn` and `_.forOwn`.
		 *
		 * @private
		 * @param {boolean} [fromRight] Specify iterating from right to left.
		 * @returns {Function} Returns the new base function.
		 */
		function createBaseFor(fromRight) {
		  return function(object, iteratee, keysFunc) {
		    var index = -1,
		        iterable = Object(object),
		        props = keysFunc(object),
		        length = props.length;

		    while (length--) {
		      var key = props[++index];
		      if (iteratee(iterable[key], key, iterable) === false) {
		        break;
		      }
		    }
		    return object;
		  };
		}

		/**
		 * A specialized version of `baseIsEqualDeep` for arrays with support for
		 * partial deep comparisons.
		 *
		 * @private
		 * @param {Array} array The array to compare.
		 * @param {Array} other The other array to compare.
		 * @param {Function} equalFunc The function to determine equivalents of values.
		 * @param {Function} customizer The function to customize comparisons.
		 * @param {number} bitmask The bitmask of comparison flags. See `baseIsEqual`
		 *  for more details.
		 * @param {Object} stack Tracks traversed `array` and `other` objects.
		 * @returns {boolean} Returns `true` if the arrays are equivalent, else `false`.
		 */
		function equalArrays(array, other, equalFunc, customizer, bitmask, stack) {
		  var isPartial = bitmask & PARTIAL_COMPARE_FLAG,
		      arrLength = array.length,
		      othLength = other.length;

		  if (arrLength != othLength && !(isPartial && othLength > arrLength)) {
		    return false;
		  }
		  // Assume cyclic values are equal.
		  var stacked = stack.get(array);
		  if (stacked && stack.get(other)) {
		    return stacked == other;
		  }
		  var index = -1,
		      result = true,
		      seen = (bitmask & UNORDERED_COMPARE_FLAG) ? new SetCache : undefined;

		  stack.set(array, other);
		  stack.set(other, array);

		  // Ignore non-index properties.
		  while (++index < arrLength) {
		    var arrValue = array[index],
		        othValue = other[index];

		    if (customizer) {
		      var compared = isPartial
		        ? customizer(othValue, arrValue, index, other, array, stack)
		        : customizer(arrValue, othValue, index, array, other, stack);
		    }
		    if (compared !== undefined) {
		      if (compared) {
		        continue;
		      }
		      result = false;
		      break;
		    }
		    // Recursively compare arrays (susceptible to call stack limits).
		    if (seen) {
		      if (!arraySome(other, function(othValue, othIndex) {
		            if (!seen.has(othIndex) &&
		                (arrValue === othValue || equalFunc(arrValue, othValue, customizer, bitmask, stack))) {
		              return seen.add(othIndex);
		            }
		          })) {
		        result = false;
		        break;
		      }
		    } else if (!(
		          arrValue === othValue ||
		            equalFunc(arrValue, othValue, customizer, bitmask, stack)
		        )) {
		      result = false;
		      break;
		    }
		  }
		  stack['delete'](array);
		  stack['delete'](other);
		  return result;
		}

		/**
		 * A specialized version of `baseIsEqualDeep` for comparing objects of
		 * the same `toStringTag`.
		 *
		 * **Note:** This function only supports comparing values with tags of
		 * `Boolean`, `Date`, `Error`, `Number`, `RegExp`, or `String`.
		 *
		 * @private
		 * @param {Object} object The object to compare.
		 * @param {Object} other The other object to compare.
		 * @param {string} tag The `toStringTag` of the objects to compare.
		 * @param {Function} equalFunc The function to determine equivalents of values.
		 * @param {Function} customizer The function to customize comparisons.
		 * @param {number} bitmask The bitmask of comparison flags. See `baseIsEqual`
		 *  for more details.
		 * @param {Object} stack Tracks traversed `object` and `other` objects.
		 * @returns {boolean} Returns `true` if the objects are equivalent, else `false`.
		 */
		function equalByTag(object, other, tag, equalFunc, customizer, bitmask, stack) {
		  switch (tag) {
		    case dataViewTag:
		      if ((object.byteLength != other.byteLength) ||
		          (object.byteOffset != other.byteOffset)) {
		        return false;
		      }
		      object = object.buffer;
		      other = other.buffer;

		    case arrayBufferTag:
		      if ((object.byteLength != other.byteLength) ||
		          !equalFunc(new Uint8Array(object), new Uint8Array(other))) {
		        return false;
		      }
		      return true;

		    case boolTag:
		    case dateTag:
		    case numberTag:
		      // Coerce booleans to `1` or `0` and dates to milliseconds.
		      // Invalid dates are coerced to `NaN`.
		      return eq(+object, +other);

		    case errorTag:
		      return object.name == other.name && object.message == other.message;

		    case regexpTag:
		    case stringTag:
		      // Coerce regexes to strings and treat strings, primitives and objects,
		      // as equal. See http://www.ecma-international.org/ecma-262/7.0/#sec-regexp.prototype.tostring
		      // for more details.
		      return object == (other + '');

		    case mapTag:
		      var convert = mapToArray;

		    case setTag:
		      var isPartial = bitmask & PARTIAL_COMPARE_FLAG;
		      convert || (convert = setToArray);

		      if (object.size != other.size && !isPartial) {
		        return false;
		      }
		      // Assume cyclic values are equal.
		      var stacked = stack.get(object);
		      if (stacked) {
		        return stacked == other;
		      }
		      bitmask |= UNORDERED_COMPARE_FLAG;

		      // Recursively compare objects (susceptible to call stack limits).
		      stack.set(object, other);
		      var result = equalArrays(convert(object), convert(other), equalFunc, customizer, bitmask, stack);
		      stack['delete'](object);
		      return result;

		    case symbolTag:
		      if (symbolValueOf) {
		        return symbolValueOf.call(object) == symbolValueOf.call(other);
		      }
		  }
		  return false;
		}

		/**
		 * A specialized version of `baseIsEqualDeep` for objects with support for
		 * partial deep comparisons.
		 *
		 * @private
		 * @param {Object} object The object to compare.
		 * @param {Object} other The other object to compare.
		 * @param {Function} equalFunc The function to determine equivalents of values.
		 * @param {Function} customizer The function to customize comparisons.
		 * @param {number} bitmask The bitmask of comparison flags. See `baseIsEqual`
		 *  for more details.
		 * @param {Object} stack Tracks traversed `object` and `other` objects.
		 * @returns {boolean} Returns `true` if the objects are equivalent, else `false`.
		 */
		function equalObjects(object, other, equalFunc, customizer, bitmask, stack) {
		  var isPartial = bitmask & PARTIAL_COMPARE_FLAG,
		      objProps = keys(object),
		      objLength = objProps.length,
		      othProps = keys(other),
		      othLength = othProps.length;

		  if (objLength != othLength && !isPartial) {
		    return false;
		  }
		  var index = objLength;
		  while (index--) {
		    var key = objProps[index];
		    if (!(isPartial ? key in other : hasOwnProperty.call(other, key))) {
		      return false;
		    }
		  }
		  // Assume cyclic values are equal.
		  var stacked = stack.get(object);
		  if (stacked && stack.get(other)) {
		    return stacked == other;
		  }
		  var result = true;
		  stack.set(object, other);
		  stack.set(other, object);

		  var skipCtor = isPartial;
		  while (++index < objLength) {
		    key = objProps[index];
		    var objValue = object[key],
		        othValue = other[key];

		    if (customizer) {
		      var compared = isPartial
		        ? customizer(othValue, objValue, key, other, object, stack)
		        : customizer(objValue, othValue, key, object, other, stack);
		    }
		    // Recursively compare objects (susceptible to call stack limits).
		    if (!(compared === undefined
		          ? (objValue === othValue || equalFunc(objValue, othValue, customizer, bitmask, stack))
		          : compared
		        )) {
		      result = false;
		      break;
		    }
		    skipCtor || (skipCtor = key == 'constructor');
		  }
		  if (result && !skipCtor) {
		    var objCtor = object.constructor,
		        othCtor = other.constructor;

		    // Non `Object` object instances with different constructors are not equal.
		    if (objCtor != othCtor &&
		        ('constructor' in object && 'constructor' in other) &&
		        !(typeof objCtor == 'function' && objCtor instanceof objCtor &&
		          typeof othCtor == 'function' && othCtor instanceof othCtor)) {
		      result = false;
		    }
		  }
		  stack['delete'](object);
		  stack['delete'](other);
		  return result;
		}

		/**
		 * Gets the data for `map`.
		 *
		 * @private
		 * @param {Object} map The map to query.
		 * @param {string} key The reference key.
		 * @returns {*} Returns the map data.
		 */
		function getMapData(map, key) {
		  var data = map.__data__;
		  return isKeyable(key)
		    ? data[typeof key == 'string' ? 'string' : 'hash']
		    : data.map;
		}

		/**
		 * Gets the property names, values, and compare flags of `object`.
		 *
		 * @private
		 * @param {Object} object The object to query.
		 * @returns {Array} Returns the match data of `object`.
		 */
		function getMatchData(object) {
		  var result = keys(object),
		      length = result.length;

		  while (length--) {
		    var key = result[length],
		        value = object[key];

		    result[length] = [key, value, isStrictComparable(value)];
		  }
		  return result;
		}

		/**
		 * Gets the native function at `key` of `object`.
		 *
		 * @private
		 * @param {Object} object The object to query.
		 * @param {string} key The key of the method to get.
		 * @returns {*} Returns the function if it's native, else `undefined`.
		 */
		function getNative(object, key) {
		  var value = getValue(object, key);
		  return baseIsNative(value) ? value : undefined;
		}

		/**
		 * Gets the `toStringTag` of `value`.
		 *
		 * @private
		 * @param {*} value The value to query.
		 * @returns {string} Returns the `toStringTag`.
		 */
		var getTag = baseGetTag;

		// Fallback for data views, maps, sets, and weak maps in IE 11,
		// for data views in Edge < 14, and promises in Node.js.
		if ((DataView && getTag(new DataView(new ArrayBuffer(1))) != dataViewTag) ||
		    (Map && getTag(new Map) != mapTag) ||
		    (Promise && getTag(Promise.resolve()) != promiseTag) ||
		    (Set && getTag(new Set) != setTag) ||
		    (WeakMap && getTag(new WeakMap) != weakMapTag)) {
		  getTag = function(value) {
		    var result = objectToString.call(value),
		        Ctor = result == objectTag ? value.constructor : undefined,
		        ctorString = Ctor ? toSource(Ctor) : undefined;

		    if (ctorString) {
		      switch (ctorString) {
		        case dataViewCtorString: return dataViewTag;
		        case mapCtorString: return mapTag;
		        case promiseCtorString: return promiseTag;
		        case setCtorString: return setTag;
		        case weakMapCtorString: return weakMapTag;
		      }
		    }
		    return result;
		  };
		}

		/**
		 * Checks if `path` exists on `object`.
		 *
		 * @private
		 * @param {Object} object The object to query.
		 * @param {Array|string} path The path to check.
		 * @param {Function} hasFunc The function to check properties.
		 * @returns {boolean} Returns `true` if `path` exists, else `false`.
		 */
		function hasPath(object, path, hasFunc) {
		  path = isKey(path, object) ? [path] : castPath(path);

		  var result,
		      index = -1,
		      length = path.length;

		  while (++index < length) {
		    var key = toKey(path[index]);
		    if (!(result = object != null && hasFunc(object, key))) {
		      break;
		    }
		    object = object[key];
		  }
		  if (result) {
		    return result;
		  }
		  var length = object ? object.length : 0;
		  return !!length && isLength(length) && isIndex(key, length) &&
		    (isArray(object) || isArguments(object));
		}

		/**
		 * Checks if `value` is a flattenable `arguments` object or array.
		 *
		 * @private
		 * @param {*} value The value to check.
		 * @returns {boolean} Returns `true` if `value` is flattenable, else `false`.
		 */
		function isFlattenable(value) {
		  return isArray(value) || isArguments(value) ||
		    !!(spreadableSymbol && value && value[spreadableSymbol]);
		}

		/**
		 * Checks if `value` is a valid array-like index.
		 *
		 * @private
		 * @param {*} value The value to check.
		 * @param {number} [length=MAX_SAFE_INTEGER] The upper bounds of a valid index.
		 * @returns {boolean} Returns `true` if `value` is a valid index, else `false`.
		 */
		function isIndex(value, length) {
		  length = length == null ? MAX_SAFE_INTEGER : length;
		  return !!length &&
		    (typeof value == 'number' || reIsUint.test(value)) &&
		    (value > -1 && value % 1 == 0 && value < length);
		}

		/**
		 * Checks if the given arguments are from an iteratee call.
		 *
		 * @private
		 * @param {*} value The potential iteratee value argument.
		 * @param {*} index The potential iteratee index or key argument.
		 * @param {*} object The potential iteratee object argument.
		 * @returns {boolean} Returns `true` if the arguments are from an iteratee call,
		 *  else `false`.
		 */
		function isIterateeCall(value, index, object) {
		  if (!isObject(object)) {
		    return false;
		  }
		  var type = typeof index;
		  if (type == 'number'
		        ? (isArrayLike(object) && isIndex(index, object.length))
		        : (type == 'string' && index in object)
		      ) {
		    return eq(object[index], value);
		  }
		  return false;
		}

		/**
		 * Checks if `value` is a property name and not a property path.
		 *
		 * @private
		 * @param {*} value The value to check.
		 * @param {Object} [object] The object to query keys on.
		 * @returns {boolean} Returns `true` if `value` is a property name, else `false`.
		 */
		function isKey(value, object) {
		  if (isArray(value)) {
		    return false;
		  }
		  var type = typeof value;
		  if (type == 'number' || type == 'symbol' || type == 'boolean' ||
		      value == null || isSymbol(value)) {
		    return true;
		  }
		  return reIsPlainProp.test(value) || !reIsDeepProp.test(value) ||
		    (object != null && value in Object(object));
		}

		/**
		 * Checks if `value` is suitable for use as unique object key.
		 *
		 * @private
		 * @param {*} value The value to check.
		 * @returns {boolean} Returns `true` if `value` is suitable, else `false`.
		 */
		function isKeyable(value) {
		  var type = typeof value;
		  return (type == 'string' || type == 'number' || type == 'symbol' || type == 'boolean')
		    ? (value !== '__proto__')
		    : (value === null);
		}

		/**
		 * Checks if `func` has its source masked.
		 *
		 * @private
		 * @param {Function} func The function to check.
		 * @returns {boolean} Returns `true` if `func` is masked, else `false`.
		 */
		function isMasked(func) {
		  return !!maskSrcKey && (maskSrcKey in func);
		}

		/**
		 * Checks if `value` is likely a prototype object.
		 *
		 * @private
		 * @param {*} value The value to check.
		 * @returns {boolean} Returns `true` if `value` is a prototype, else `false`.
		 */
		function isPrototype(value) {
		  var Ctor = value && value.constructor,
		      proto = (typeof Ctor == 'function' && Ctor.prototype) || objectProto;

		  return value === proto;
		}

		/**
		 * Checks if `value` is suitable for strict equality comparisons, i.e. `===`.
		 *
		 * @private
		 * @param {*} value The value to check.
		 * @returns {boolean} Returns `true` if `value` if suitable for strict
		 *  equality comparisons, else `false`.
		 */
		function isStrictComparable(value) {
		  return value === value && !isObject(value);
		}

		/**
		 * A specialized version of `matchesProperty` for source values suitable
		 * for strict equality comparisons, i.e. `===`.
		 *
		 * @private
		 * @param {string} key The key of the property to get.
		 * @param {*} srcValue The value to match.
		 * @returns {Function} Returns the new spec function.
		 */
		function matchesStrictComparable(key, srcValue) {
		  return function(object) {
		    if (object == null) {
		      return false;
		    }
		    return object[key] === srcValue &&
		      (srcValue !== undefined || (key in Object(object)));
		  };
		}

		/**
		 * Converts `string` to a property path array.
		 *
		 * @private
		 * @param {string} string The string to convert.
		 * @returns {Array} Returns the property path array.
		 */
		var stringToPath = memoize(function(string) {
		  string = toString(string);

		  var result = [];
		  if (reLeadingDot.test(string)) {
		    result.push('');
		  }
		  string.replace(rePropName, function(match, number, quote, string) {
		    result.push(quote ? string.replace(reEscapeChar, '$1') : (number || match));
		  });
		  return result;
		});

		/**
		 * Converts `value` to a string key if it's not a string or symbol.
		 *
		 * @private
		 * @param {*} value The value to inspect.
		 * @returns {string|symbol} Returns the key.
		 */
		function toKey(value) {
		  if (typeof value == 'string' || isSymbol(value)) {
		    return value;
		  }
		  var result = (value + '');
		  return (result == '0' && (1 / value) == -Infinity) ? '-0' : result;
		}

		/**
		 * Converts `func` to its source code.
		 *
		 * @private
		 * @param {Function} func The function to process.
		 * @returns {string} Returns the source code.
		 */
		function toSource(func) {
		  if (func != null) {
		    try {
		      return funcToString.call(func);
		    } catch (e) {}
		    try {
		      return (func + '');
		    } catch (e) {}
		  }
		  return '';
		}

		/**
		 * Creates an array of elements, sorted in ascending order by the results of
		 * running each element in a collection thru each iteratee. This method
		 * performs a stable sort, that is, it preserves the original sort order of
		 * equal elements. The iteratees are invoked with one argument: (value).
		 *
		 * @static
		 * @memberOf _
		 * @since 0.1.0
		 * @category Collection
		 * @param {Array|Object} collection The collection to iterate over.
		 * @param {...(Function|Function[])} [iteratees=[_.identity]]
		 *  The iteratees to sort by.
		 * @returns {Array} Returns the new sorted array.
		 * @example
		 *
		 * var users = [
		 *   { 'user': 'fred',   'age': 48 },
		 *   { 'user': 'barney', 'age': 36 },
		 *   { 'user': 'fred',   'age': 40 },
		 *   { 'user': 'barney', 'age': 34 }
		 * ];
		 *
		 * _.sortBy(users, function(o) { return o.user; });
		 * // => objects for [['barney', 36], ['barney', 34], ['fred', 48], ['fred', 40]]
		 *
		 * _.sortBy(users, ['user', 'age']);
		 * // => objects for [['barney', 34], ['barney', 36], ['fred', 40], ['fred', 48]]
		 *
		 * _.sortBy(users, 'user', function(o) {
		 *   return Math.floor(o.age / 10);
		 * });
		 * // => objects for [['barney', 36], ['barney', 34], ['fred', 48], ['fred', 40]]
		 */
		var sortBy = baseRest(function(collection, iteratees) {
		  if (collection == null) {
		    return [];
		  }
		  var length = iteratees.length;
		  if (length > 1 && isIterateeCall(collection, iteratees[0], iteratees[1])) {
		    iteratees = [];
		  } else if (length > 2 && isIterateeCall(iteratees[0], iteratees[1], iteratees[2])) {
		    iteratees = [iteratees[0]];
		  }
		  return baseOrderBy(collection, baseFlatten(iteratees), []);
		});

		/**
		 * Creates a function that memoizes the result of `func`. If `resolver` is
		 * provided, it determines the cache key for storing the result based on the
		 * arguments provided to the memoized function. By default, the first argument
		 * provided to the memoized function is used as the map cache key. The `func`
		 * is invoked with the `this` binding of the memoized function.
		 *
		 * **Note:** The cache is exposed as the `cache` property on the memoized
		 * function. Its creation may be customized by replacing the `_.memoize.Cache`
		 * constructor with one whose instances implement the
		 * [`Map`](http://ecma-international.org/ecma-262/7.0/#sec-properties-of-the-map-prototype-object)
		 * method interface of `delete`, `get`, `has`, and `set`.
		 *
		 * @static
		 * @memberOf _
		 * @since 0.1.0
		 * @category Function
		 * @param {Function} func The function to have its output memoized.
		 * @param {Function} [resolver] The function to resolve the cache key.
		 * @returns {Function} Returns the new memoized function.
		 * @example
		 *
		 * var object = { 'a': 1, 'b': 2 };
		 * var other = { 'c': 3, 'd': 4 };
		 *
		 * var values = _.memoize(_.values);
		 * values(object);
		 * // => [1, 2]
		 *
		 * values(other);
		 * // => [3, 4]
		 *
		 * object.a = 2;
		 * values(object);
		 * // => [1, 2]
		 *
		 * // Modify the result cache.
		 * values.cache.set(object, ['a', 'b']);
		 * values(object);
		 * // => ['a', 'b']
		 *
		 * // Replace `_.memoize.Cache`.
		 * _.memoize.Cache = WeakMap;
		 */
		function memoize(func, resolver) {
		  if (typeof func != 'function' || (resolver && typeof resolver != 'function')) {
		    throw new TypeError(FUNC_ERROR_TEXT);
		  }
		  var memoized = function() {
		    var args = arguments,
		        key = resolver ? resolver.apply(this, args) : args[0],
		        cache = memoized.cache;

		    if (cache.has(key)) {
		      return cache.get(key);
		    }
		    var result = func.apply(this, args);
		    memoized.cache = cache.set(key, result);
		    return result;
		  };
		  memoized.cache = new (memoize.Cache || MapCache);
		  return memoized;
		}

		// Assign cache to `_.memoize`.
		memoize.Cache = MapCache;

		/**
		 * Performs a
		 * [`SameValueZero`](http://ecma-international.org/ecma-262/7.0/#sec-samevaluezero)
		 * comparison between two values to determine if they are equivalent.
		 *
		 * @static
		 * @memberOf _
		 * @since 4.0.0
		 * @category Lang
		 * @param {*} value The value to compare.
		 * @param {*} other The other value to compare.
		 * @returns {boolean} Returns `true` if the values are equivalent, else `false`.
		 * @example
		 *
		 * var object = { 'a': 1 };
		 * var other = { 'a': 1 };
		 *
		 * _.eq(object, object);
		 * // => true
		 *
		 * _.eq(object, other);
		 * // => false
		 *
		 * _.eq('a', 'a');
		 * // => true
		 *
		 * _.eq('a', Object('a'));
		 * // => false
		 *
		 * _.eq(NaN, NaN);
		 * // => true
		 */
		function eq(value, other) {
		  return value === other || (value !== value && other !== other);
		}

		/**
		 * Checks if `value` is likely an `arguments` object.
		 *
		 * @static
		 * @memberOf _
		 * @since 0.1.0
		 * @category Lang
		 * @param {*} value The value to check.
		 * @returns {boolean} Returns `true` if `value` is an `arguments` object,
		 *  else `false`.
		 * @example
		 *
		 * _.isArguments(function() { return arguments; }());
		 * // => true
		 *
		 * _.isArguments([1, 2, 3]);
		 * // => false
		 */
		function isArguments(value) {
		  // Safari 8.1 makes `arguments.callee` enumerable in strict mode.
		  return isArrayLikeObject(value) && hasOwnProperty.call(value, 'callee') &&
		    (!propertyIsEnumerable.call(value, 'callee') || objectToString.call(value) == argsTag);
		}

		/**
		 * Checks if `value` is classified as an `Array` object.
		 *
		 * @static
		 * @memberOf _
		 * @since 0.1.0
		 * @category Lang
		 * @param {*} value The value to check.
		 * @returns {boolean} Returns `true` if `value` is an array, else `false`.
		 * @example
		 *
		 * _.isArray([1, 2, 3]);
		 * // => true
		 *
		 * _.isArray(document.body.children);
		 * // => false
		 *
		 * _.isArray('abc');
		 * // => false
		 *
		 * _.isArray(_.noop);
		 * // => false
		 */
		var isArray = Array.isArray;

		/**
		 * Checks if `value` is array-like. A value is considered array-like if it's
		 * not a function and has a `value.length` that's an integer greater than or
		 * equal to `0` and less than or equal to `Number.MAX_SAFE_INTEGER`.
		 *
		 * @static
		 * @memberOf _
		 * @since 4.0.0
		 * @category Lang
		 * @param {*} value The value to check.
		 * @returns {boolean} Returns `true` if `value` is array-like, else `false`.
		 * @example
		 *
		 * _.isArrayLike([1, 2, 3]);
		 * // => true
		 *
		 * _.isArrayLike(document.body.children);
		 * // => true
		 *
		 * _.isArrayLike('abc');
		 * // => true
		 *
		 * _.isArrayLike(_.noop);
		 * // => false
		 */
		function isArrayLike(value) {
		  return value != null && isLength(value.length) && !isFunction(value);
		}

		/**
		 * This method is like `_.isArrayLike` except that it also checks if `value`
		 * is an object.
		 *
		 * @static
		 * @memberOf _
		 * @since 4.0.0
		 * @category Lang
		 * @param {*} value The value to check.
		 * @returns {boolean} Returns `true` if `value` is an array-like object,
		 *  else `false`.
		 * @example
		 *
		 * _.isArrayLikeObject([1, 2, 3]);
		 * // => true
		 *
		 * _.isArrayLikeObject(document.body.children);
		 * // => true
		 *
		 * _.isArrayLikeObject('abc');
		 * // => false
		 *
		 * _.isArrayLikeObject(_.noop);
		 * // => false
		 */
		function isArrayLikeObject(value) {
		  return isObjectLike(value) && isArrayLike(value);
		}

		/**
		 * Checks if `value` is classified as a `Function` object.
		 *
		 * @static
		 * @memberOf _
		 * @since 0.1.0
		 * @category Lang
		 * @param {*} value The value to check.
		 * @returns {boolean} Returns `true` if `value` is a function, else `false`.
		 * @example
		 *
		 * _.isFunction(_);
		 * // => true
		 *
		 * _.isFunction(/abc/);
		 * // => false
		 */
		function isFunction(value) {
		  // The use of `Object#toString` avoids issues with the `typeof` operator
		  // in Safari 8-9 which returns 'object' for typed array and other constructors.
		  var tag = isObject(value) ? objectToString.call(value) : '';
		  return tag == funcTag || tag == genTag;
		}

		/**
		 * Checks if `value` is a valid array-like length.
		 *
		 * **Note:** This method is loosely based on
		 * [`ToLength`](http://ecma-international.org/ecma-262/7.0/#sec-tolength).
		 *
		 * @static
		 * @memberOf _
		 * @since 4.0.0
		 * @category Lang
		 * @param {*} value The value to check.
		 * @returns {boolean} Returns `true` if `value` is a valid length, else `false`.
		 * @example
		 *
		 * _.isLength(3);
		 * // => true
		 *
		 * _.isLength(Number.MIN_VALUE);
		 * // => false
		 *
		 * _.isLength(Infinity);
		 * // => false
		 *
		 * _.isLength('3');
		 * // => false
		 */
		function isLength(value) {
		  return typeof value == 'number' &&
		    value > -1 && value % 1 == 0 && value <= MAX_SAFE_INTEGER;
		}

		/**
		 * Checks if `value` is the
		 * [language type](http://www.ecma-international.org/ecma-262/7.0/#sec-ecmascript-language-types)
		 * of `Object`. (e.g. arrays, functions, objects, regexes, `new Number(0)`, and `new String('')`)
		 *
		 * @static
		 * @memberOf _
		 * @since 0.1.0
		 * @category Lang
		 * @param {*} value The value to check.
		 * @returns {boolean} Returns `true` if `value` is an object, else `false`.
		 * @example
		 *
		 * _.isObject({});
		 * // => true
		 *
		 * _.isObject([1, 2, 3]);
		 * // => true
		 *
		 * _.isObject(_.noop);
		 * // => true
		 *
		 * _.isObject(null);
		 * // => false
		 */
		function isObject(value) {
		  var type = typeof value;
		  return !!value && (type == 'object' || type == 'function');
		}

		/**
		 * Checks if `value` is object-like. A value is object-like if it's not `null`
		 * and has a `typeof` result of "object".
		 *
		 * @static
		 * @memberOf _
		 * @since 4.0.0
		 * @category Lang
		 * @param {*} value The value to check.
		 * @returns {boolean} Returns `true` if `value` is object-like, else `false`.
		 * @example
		 *
		 * _.isObjectLike({});
		 * // => true
		 *
		 * _.isObjectLike([1, 2, 3]);
		 * // => true
		 *
		 * _.isObjectLike(_.noop);
		 * // => false
		 *
		 * _.isObjectLike(null);
		 * // => false
		 */
		function isObjectLike(value) {
		  return !!value && typeof value == 'object';
		}

		/**
		 * Checks if `value` is classified as a `Symbol` primitive or object.
		 *
		 * @static
		 * @memberOf _
		 * @since 4.0.0
		 * @category Lang
		 * @param {*} value The value to check.
		 * @returns {boolean} Returns `true` if `value` is a symbol, else `false`.
		 * @example
		 *
		 * _.isSymbol(Symbol.iterator);
		 * // => true
		 *
		 * _.isSymbol('abc');
		 * // => false
		 */
		function isSymbol(value) {
		  return typeof value == 'symbol' ||
		    (isObjectLike(value) && objectToString.call(value) == symbolTag);
		}

		/**
		 * Checks if `value` is classified as a typed array.
		 *
		 * @static
		 * @memberOf _
		 * @since 3.0.0
		 * @category Lang
		 * @param {*} value The value to check.
		 * @returns {boolean} Returns `true` if `value` is a typed array, else `false`.
		 * @example
		 *
		 * _.isTypedArray(new Uint8Array);
		 * // => true
		 *
		 * _.isTypedArray([]);
		 * // => false
		 */
		var isTypedArray = nodeIsTypedArray ? baseUnary(nodeIsTypedArray) : baseIsTypedArray;

		/**
		 * Converts `value` to a string. An empty string is returned for `null`
		 * and `undefined` values. The sign of `-0` is preserved.
		 *
		 * @static
		 * @memberOf _
		 * @since 4.0.0
		 * @category Lang
		 * @param {*} value The value to process.
		 * @returns {string} Returns the string.
		 * @example
		 *
		 * _.toString(null);
		 * // => ''
		 *
		 * _.toString(-0);
		 * // => '-0'
		 *
		 * _.toString([1, 2, 3]);
		 * // => '1,2,3'
		 */
		function toString(value) {
		  return value == null ? '' : baseToString(value);
		}

		/**
		 * Gets the value at `path` of `object`. If the resolved value is
		 * `undefined`, the `defaultValue` is returned in its place.
		 *
		 * @static
		 * @memberOf _
		 * @since 3.7.0
		 * @category Object
		 * @param {Object} object The object to query.
		 * @param {Array|string} path The path of the property to get.
		 * @param {*} [defaultValue] The value returned for `undefined` resolved values.
		 * @returns {*} Returns the resolved value.
		 * @example
		 *
		 * var object = { 'a': [{ 'b': { 'c': 3 } }] };
		 *
		 * _.get(object, 'a[0].b.c');
		 * // => 3
		 *
		 * _.get(object, ['a', '0', 'b', 'c']);
		 * // => 3
		 *
		 * _.get(object, 'a.b.c', 'default');
		 * // => 'default'
		 */
		function get(object, path, defaultValue) {
		  var result = object == null ? undefined : baseGet(object, path);
		  return result === undefined ? defaultValue : result;
		}

		/**
		 * Checks if `path` is a direct or inherited property of `object`.
		 *
		 * @static
		 * @memberOf _
		 * @since 4.0.0
		 * @category Object
		 * @param {Object} object The object to query.
		 * @param {Array|string} path The path to check.
		 * @returns {boolean} Returns `true` if `path` exists, else `false`.
		 * @example
		 *
		 * var object = _.create({ 'a': _.create({ 'b': 2 }) });
		 *
		 * _.hasIn(object, 'a');
		 * // => true
		 *
		 * _.hasIn(object, 'a.b');
		 * // => true
		 *
		 * _.hasIn(object, ['a', 'b']);
		 * // => true
		 *
		 * _.hasIn(object, 'b');
		 * // => false
		 */
		function hasIn(object, path) {
		  return object != null && hasPath(object, path, baseHasIn);
		}

		/**
		 * Creates an array of the own enumerable property names of `object`.
		 *
		 * **Note:** Non-object values are coerced to objects. See the
		 * [ES spec](http://ecma-international.org/ecma-262/7.0/#sec-object.keys)
		 * for more details.
		 *
		 * @static
		 * @since 0.1.0
		 * @memberOf _
		 * @category Object
		 * @param {Object} object The object to query.
		 * @returns {Array} Returns the array of property names.
		 * @example
		 *
		 * function Foo() {
		 *   this.a = 1;
		 *   this.b = 2;
		 * }
		 *
		 * Foo.prototype.c = 3;
		 *
		 * _.keys(new Foo);
		 * // => ['a', 'b'] (iteration order is not guaranteed)
		 *
		 * _.keys('hi');
		 * // => ['0', '1']
		 */
		function keys(object) {
		  return isArrayLike(object) ? arrayLikeKeys(object) : baseKeys(object);
		}

		/**
		 * This method returns the first argument it receives.
		 *
		 * @static
		 * @since 0.1.0
		 * @memberOf _
		 * @category Util
		 * @param {*} value Any value.
		 * @returns {*} Returns `value`.
		 * @example
		 *
		 * var object = { 'a': 1 };
		 *
		 * console.log(_.identity(object) === object);
		 * // => true
		 */
		function identity(value) {
		  return value;
		}

		/**
		 * Creates a function that returns the value at `path` of a given object.
		 *
		 * @static
		 * @memberOf _
		 * @since 2.4.0
		 * @category Util
		 * @param {Array|string} path The path of the property to get.
		 * @returns {Function} Returns the new accessor function.
		 * @example
		 *
		 * var objects = [
		 *   { 'a': { 'b': 2 } },
		 *   { 'a': { 'b': 1 } }
		 * ];
		 *
		 * _.map(objects, _.property('a.b'));
		 * // => [2, 1]
		 *
		 * _.map(_.sortBy(objects, _.property(['a', 'b'])), 'a.b');
		 * // => [1, 2]
		 */
		function property(path) {
		  return isKey(path) ? baseProperty(toKey(path)) : basePropertyDeep(path);
		}

		module.exports = sortBy; 
	} (lodash_sortby, lodash_sortby.exports));
	return lodash_sortby.exports;
}

var escapeStringRegexp;
var hasRequiredEscapeStringRegexp;

function requireEscapeStringRegexp () {
	if (hasRequiredEscapeStringRegexp) return escapeStringRegexp;
	hasRequiredEscapeStringRegexp = 1;

	escapeStringRegexp = string => {
		if (typeof string !== 'string') {
			throw new TypeError('Expected a string');
		}

		// Escape characters with special meaning either inside or outside character sets.
		// Use a simple backslash escape when it’s always valid, and a \unnnn escape when the simpler form would be disallowed by Unicode patterns’ stricter grammar.
		return string
			.replace(/[|\\{}()[\]^$+*?.]/g, '\\$&')
			.replace(/-/g, '\\x2d');
	};
	return escapeStringRegexp;
}

var regexpParse = {};

var hasRequiredRegexpParse;

function requireRegexpParse () {
	if (hasRequiredRegexpParse) return regexpParse;
	hasRequiredRegexpParse = 1;
	Object.defineProperty(regexpParse, "__esModule", { value: true });
	regexpParse.isRegExpString = regexpParse.parseRegExpString = void 0;
	// https://developer.mozilla.org/en-US/docs/Web/JavaScript/Guide/Regular_Expressions#advanced_searching_with_flags
	var REGEXP_LITERAL_PATTERN = /^\/(.+)\/([guimysd]*)$/;
	var parseRegExpString = function (str) {
	    var result = str.match(REGEXP_LITERAL_PATTERN);
	    if (!result) {
	        return null;
	    }
	    return {
	        source: result[1],
	        flagString: result[2]
	    };
	};
	regexpParse.parseRegExpString = parseRegExpString;
	var isRegExpString = function (str) {
	    return REGEXP_LITERAL_PATTERN.test(str);
	};
	regexpParse.isRegExpString = isRegExpString;
	
	return regexpParse;
}

var hasRequiredRegexpStringMatcher;

function requireRegexpStringMatcher () {
	if (hasRequiredRegexpStringMatcher) return regexpStringMatcher;
	hasRequiredRegexpStringMatcher = 1;
	(function (exports$1) {
		var __importDefault = (regexpStringMatcher && regexpStringMatcher.__importDefault) || function (mod) {
		    return (mod && mod.__esModule) ? mod : { "default": mod };
		};
		Object.defineProperty(exports$1, "__esModule", { value: true });
		exports$1.matchPatterns = exports$1.createRegExp = void 0;
		var lodash_uniq_1 = __importDefault(requireLodash_uniq());
		var lodash_uniqwith_1 = __importDefault(requireLodash_uniqwith());
		var lodash_sortby_1 = __importDefault(requireLodash_sortby());
		var escape_string_regexp_1 = __importDefault(requireEscapeStringRegexp());
		var regexp_parse_1 = requireRegexpParse();
		var DEFAULT_FLAGS = "ug";
		var defaultFlags = function (flagsString) {
		    if (flagsString.length === 0) {
		        return DEFAULT_FLAGS;
		    }
		    return (0, lodash_uniq_1.default)((flagsString + DEFAULT_FLAGS).split("")).join("");
		};
		var createRegExp = function (patternString, defaultFlag) {
		    if (defaultFlag === void 0) { defaultFlag = DEFAULT_FLAGS; }
		    if (patternString.length === 0) {
		        throw new Error("Empty string can not handled");
		    }
		    if ((0, regexp_parse_1.isRegExpString)(patternString)) {
		        var regExpStructure = (0, regexp_parse_1.parseRegExpString)(patternString);
		        if (regExpStructure) {
		            return new RegExp(regExpStructure.source, defaultFlags(regExpStructure.flagString));
		        }
		        throw new Error("\"".concat(patternString, "\" can not parse as RegExp."));
		    }
		    else {
		        return new RegExp((0, escape_string_regexp_1.default)(patternString), defaultFlag);
		    }
		};
		exports$1.createRegExp = createRegExp;
		var isEqualMatchPatternResult = function (a, b) {
		    return a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.match === b.match;
		};
		/**
		 * Match regExpLikeStrings and return matchPatternResults
		 * @param text target text
		 * @param regExpLikeStrings an array of pattern string
		 */
		var matchPatterns = function (text, regExpLikeStrings) {
		    var matchPatternResults = [];
		    regExpLikeStrings
		        .map(function (patternString) {
		        return (0, exports$1.createRegExp)(patternString);
		    })
		        .forEach(function (regExp) {
		        var results = text.matchAll(regExp);
		        Array.from(results).forEach(function (result) {
		            if (result.index === undefined) {
		                return;
		            }
		            var match = result[0];
		            var index = result.index;
		            matchPatternResults.push({
		                match: match,
		                captures: result.slice(1),
		                startIndex: index,
		                endIndex: index + match.length
		            });
		        });
		    });
		    var uniqResults = (0, lodash_uniqwith_1.default)(matchPatternResults, isEqualMatchPatternResult);
		    return (0, lodash_sortby_1.default)(uniqResults, ["startIndex", "endIndex"]);
		};
		exports$1.matchPatterns = matchPatterns;
		
	} (regexpStringMatcher));
	return regexpStringMatcher;
}

var regexpStringMatcherExports = requireRegexpStringMatcher();

/**
 * These should be ignored by default, because these are used in AWS example.
 * https://docs.aws.amazon.com/ja_jp/general/latest/gr/aws-access-keys-best-practices.html
 */
const BUILTIN_IGNORED = {
    AWSAccountID: ["AKIAIOSFODNN7EXAMPLE"],
    AWSSecretAccessKey: ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
};
const messages$o = {
    AWSAccountID: {
        en: (props) => `found AWS Account ID: ${props.ID}`,
        ja: (props) => `AWS Account ID: ${props.ID} がみつかりました`,
    },
    AWSSecretAccessKey: {
        en: (props) => `found AWS Secret Access Key: ${props.KEY}`,
        ja: (props) => `AWS Secret Access Key: ${props.KEY} がみつかりました`,
    },
    AWSAccessKeyID: {
        en: (props) => `found AWS Access Key ID: ${props.ID}`,
        ja: (props) => `AWS Access Key Id: ${props.ID} がみつかりました`,
    },
};
/*
  local aws="(AWS|aws|Aws)?_?" quote="(\"|')" connect="\s*(:|=>|=)\s*"
  local opt_quote="${quote}?"
  add_config 'secrets.providers' 'git secrets --aws-provider'

  add_config 'secrets.patterns' '(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}'

  add_config 'secrets.patterns' "${opt_quote}${aws}(SECRET|secret|Secret)?_?(ACCESS|access|Access)?_?(KEY|key|Key)${opt_quote}${connect}${opt_quote}[A-Za-z0-9/\+=]{40}${opt_quote}"

  add_config 'secrets.patterns' "${opt_quote}${aws}(ACCOUNT|account|Account)_?(ID|id|Id)?${opt_quote}${connect}${opt_quote}[0-9]{4}\-?[0-9]{4}\-?[0-9]{4}${opt_quote}"

  add_config 'secrets.allowed' 'AKIAIOSFODNN7EXAMPLE'
  add_config 'secrets.allowed' "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

  https://docs.cribl.io/docs/regexesyml
 */
const reportAWSAccessKey = ({ t, source, context, options, }) => {
    // AWS Access Key ID
    // Example) AKIAIOSFODNN7EXAMPLE
    const AWSAccessKeyIDPattern = /\b(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}\b/g;
    const results = source.content.matchAll(AWSAccessKeyIDPattern);
    for (const result of results) {
        const index = result.index || 0;
        const match = result[0] || "";
        const range = [index, index + match.length];
        // Built-in ignore
        if (BUILTIN_IGNORED.AWSAccountID.includes(match)) {
            continue;
        }
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("AWSAccessKeyID", {
                ID: match,
            }),
            range,
        });
    }
};
const reportAWSSecretAccessKey = ({ t, source, context, options, }) => {
    const AWS = "(?:AWS|aws|Aws)?_?";
    const QUOTE = `["']?`;
    const CONNECT = "\\s*(?::|=>|=)\\s*";
    // git-secrets implementation match _KEY=XXX, but it is false-positive
    // https://github.com/awslabs/git-secrets/blob/5e28df337746db4f070c84f7069d365bfd0d72a8/git-secrets#L239
    // This Pattern match only `AWS?_SECRET_ACCESS_KEY=XXX`
    const AWSSecretPatten = new RegExp(String.raw `${QUOTE}${AWS}(?:SECRET|secret|Secret)_?(?:ACCESS|access|Access)_?(?:KEY|key|Key)${QUOTE}${CONNECT}${QUOTE}([A-Za-z0-9/\+=]{40})${QUOTE}\b`, "g");
    const results = source.content.matchAll(AWSSecretPatten);
    for (const result of results) {
        const index = result.index || 0;
        const match = result[1] || "";
        const range = [index, index + match.length];
        // Built-in ignored
        if (BUILTIN_IGNORED.AWSSecretAccessKey.includes(match)) {
            continue;
        }
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("AWSSecretAccessKey", {
                KEY: match,
            }),
            range,
        });
    }
};
const reportAWSAccountID = ({ t, source, context, options, }) => {
    const AWS = "(AWS|aws|Aws)?_?";
    const QUOTE = `("|')?`;
    const CONNECT = "\\s*(:|=>|=)\\s*";
    const AWSSecretPatten = new RegExp(String.raw `${QUOTE}${AWS}(ACCOUNT|account|Account)_?(ID|id|Id)?${QUOTE}${CONNECT}${QUOTE}[0-9]{4}\-?[0-9]{4}\-?[0-9]{4}${QUOTE}\b`, "g");
    const results = source.content.matchAll(AWSSecretPatten);
    for (const result of results) {
        const index = result.index || 0;
        const match = result[0] || "";
        const range = [index, index + match.length];
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("AWSAccountID", {
                ID: match,
            }),
            range,
        });
    }
};
const creator$p = {
    messages: messages$o,
    meta: {
        id: "@secretlint/secretlint-rule-aws",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-aws/README.md",
        },
    },
    create(context, options) {
        const normalizedOptions = {
            allows: options.allows || [],
            enableIDScanRule: options.enableIDScanRule ?? false,
        };
        const t = context.createTranslator(messages$o);
        return {
            file(source) {
                if (normalizedOptions.enableIDScanRule) {
                    reportAWSAccessKey({ t, source: source, context: context, options: normalizedOptions });
                    reportAWSAccountID({ t, source: source, context: context, options: normalizedOptions });
                }
                reportAWSSecretAccessKey({ t, source: source, context: context, options: normalizedOptions });
            },
        };
    },
};

/**
 * Minimal PKCS#12 MAC verification.
 *
 * GCP Service Account .p12 files are detected by checking whether the
 * top-level MAC verifies against the well-known `notasecret` password.
 * Full decryption of the PKCS#12 ContentInfo is unnecessary for that check,
 * so we only parse enough of the DER structure to extract the MacData and
 * the authSafe content, then recompute the MAC. Supports MAC digests of
 * SHA-1 (classic openssl default), SHA-256 (openssl 3 default), SHA-384,
 * and SHA-512.
 *
 * Runs in Node.js 20+ and any environment with a Web Crypto
 * implementation on `globalThis.crypto.subtle`.
 *
 * References:
 *   - RFC 7292 (PKCS #12 v1.1) section 4, Appendix B
 */
// ASN.1 tags we care about.
const TAG_INTEGER = 0x02;
const TAG_OCTET_STRING = 0x04;
const TAG_NULL = 0x05;
const TAG_OID = 0x06;
const TAG_SEQUENCE = 0x30;
const TAG_CONTEXT_0 = 0xa0;
function readTlv(buf, offset) {
    if (offset + 2 > buf.length) {
        throw new Error("PKCS12: truncated TLV header");
    }
    const tag = buf[offset];
    const lenByte = buf[offset + 1];
    let length;
    let contentStart;
    if (lenByte < 0x80) {
        length = lenByte;
        contentStart = offset + 2;
    }
    else {
        const lenBytes = lenByte & 0x7f;
        if (lenBytes === 0 || lenBytes > 4) {
            throw new Error("PKCS12: unsupported ASN.1 length encoding");
        }
        if (offset + 2 + lenBytes > buf.length) {
            throw new Error("PKCS12: truncated ASN.1 length");
        }
        length = 0;
        for (let i = 0; i < lenBytes; i++) {
            // Multiply instead of `<< 8` so a 4-byte length with the high bit
            // set does not overflow into a negative 32-bit signed integer.
            length = length * 256 + buf[offset + 2 + i];
        }
        contentStart = offset + 2 + lenBytes;
    }
    const end = contentStart + length;
    if (end > buf.length) {
        throw new Error("PKCS12: TLV extends past buffer");
    }
    return { tag, content: buf.subarray(contentStart, end), end };
}
function expectTag(tlv, tag, label) {
    if (tlv.tag !== tag) {
        throw new Error(`PKCS12: expected ${label} tag 0x${tag.toString(16)} but got 0x${tlv.tag.toString(16)}`);
    }
}
function readInteger(tlv) {
    expectTag(tlv, TAG_INTEGER, "INTEGER");
    let value = 0;
    for (const byte of tlv.content) {
        value = value * 256 + byte;
    }
    return value;
}
function bytesEqual(a, b) {
    if (a.length !== b.length)
        return false;
    let diff = 0;
    for (let i = 0; i < a.length; i++) {
        diff |= a[i] ^ b[i];
    }
    return diff === 0;
}
// OIDs we recognize, DER-encoded value bytes (without tag/length).
const OID_DATA = new Uint8Array([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01]);
const OID_SHA1 = new Uint8Array([0x2b, 0x0e, 0x03, 0x02, 0x1a]);
const OID_SHA256 = new Uint8Array([0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]);
const OID_SHA384 = new Uint8Array([0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02]);
const OID_SHA512 = new Uint8Array([0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03]);
const MAC_HASHES = [
    { oid: OID_SHA1, hash: { name: "SHA-1", outputSize: 20, blockSize: 64 } },
    { oid: OID_SHA256, hash: { name: "SHA-256", outputSize: 32, blockSize: 64 } },
    { oid: OID_SHA384, hash: { name: "SHA-384", outputSize: 48, blockSize: 128 } },
    { oid: OID_SHA512, hash: { name: "SHA-512", outputSize: 64, blockSize: 128 } },
];
function matchHash(oidBytes) {
    for (const { oid, hash } of MAC_HASHES) {
        if (bytesEqual(oidBytes, oid))
            return hash;
    }
    return undefined;
}
const MAX_MAC_ITERATIONS = 1_000_000;
function parsePkcs12(buf) {
    // PFX ::= SEQUENCE { version INTEGER, authSafe ContentInfo, macData MacData OPTIONAL }
    const pfx = readTlv(buf, 0);
    expectTag(pfx, TAG_SEQUENCE, "PFX SEQUENCE");
    const version = readTlv(pfx.content, 0);
    if (readInteger(version) !== 3) {
        throw new Error("PKCS12: unsupported version");
    }
    const authSafeInfo = readTlv(pfx.content, version.end);
    expectTag(authSafeInfo, TAG_SEQUENCE, "ContentInfo SEQUENCE");
    // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }
    const contentType = readTlv(authSafeInfo.content, 0);
    expectTag(contentType, TAG_OID, "contentType OID");
    if (!bytesEqual(contentType.content, OID_DATA)) {
        // We only support the unencrypted `data` ContentInfo which is what
        // `openssl pkcs12 -export` (and therefore GCP) emits.
        throw new Error("PKCS12: unsupported authSafe contentType");
    }
    const explicit0 = readTlv(authSafeInfo.content, contentType.end);
    expectTag(explicit0, TAG_CONTEXT_0, "[0] EXPLICIT");
    const authSafeOctet = readTlv(explicit0.content, 0);
    expectTag(authSafeOctet, TAG_OCTET_STRING, "authSafe OCTET STRING");
    const macData = readTlv(pfx.content, authSafeInfo.end);
    expectTag(macData, TAG_SEQUENCE, "MacData SEQUENCE");
    // MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
    const digestInfo = readTlv(macData.content, 0);
    expectTag(digestInfo, TAG_SEQUENCE, "DigestInfo SEQUENCE");
    const alg = readTlv(digestInfo.content, 0);
    expectTag(alg, TAG_SEQUENCE, "AlgorithmIdentifier SEQUENCE");
    const algOid = readTlv(alg.content, 0);
    expectTag(algOid, TAG_OID, "algorithm OID");
    const macHash = matchHash(algOid.content);
    if (!macHash) {
        throw new Error("PKCS12: unsupported MAC digest algorithm");
    }
    // Optional NULL parameters are ignored.
    if (algOid.end < alg.content.length) {
        const params = readTlv(alg.content, algOid.end);
        if (params.tag !== TAG_NULL) {
            throw new Error("PKCS12: unexpected MAC algorithm parameters");
        }
    }
    const digest = readTlv(digestInfo.content, alg.end);
    expectTag(digest, TAG_OCTET_STRING, "digest OCTET STRING");
    const salt = readTlv(macData.content, digestInfo.end);
    expectTag(salt, TAG_OCTET_STRING, "macSalt OCTET STRING");
    let iterations = 1;
    if (salt.end < macData.content.length) {
        const iter = readTlv(macData.content, salt.end);
        iterations = readInteger(iter);
    }
    // Reject untrusted iteration counts that would let a crafted .p12 DoS the
    // scanner: each iteration is one Web Crypto digest call. The cap is
    // generous enough to cover openssl's default (2048) and pathological-but-
    // plausible values (PKI.js tests up to 600k).
    if (iterations < 1 || iterations > MAX_MAC_ITERATIONS) {
        throw new Error("PKCS12: MAC iteration count out of range");
    }
    return {
        authSafe: authSafeOctet.content,
        macHash,
        macSalt: salt.content,
        macDigest: digest.content,
        iterations,
    };
}
// Web Crypto's BufferSource requires an ArrayBufferView whose buffer is an
// ArrayBuffer (not the default ArrayBufferLike of Uint8Array). Copy into a
// fresh ArrayBuffer to satisfy the type without relying on assertions.
function toBufferSource(data) {
    const copy = new Uint8Array(data.length);
    copy.set(data);
    return copy;
}
async function digest(hash, data) {
    return new Uint8Array(await globalThis.crypto.subtle.digest(hash.name, toBufferSource(data)));
}
function padToMultipleOf(src, blockSize) {
    if (src.length === 0)
        return new Uint8Array(0);
    const padded = new Uint8Array(Math.ceil(src.length / blockSize) * blockSize);
    for (let i = 0; i < padded.length; i++) {
        padded[i] = src[i % src.length];
    }
    return padded;
}
function encodePasswordAsBmpString(password) {
    // RFC 7292 Appendix B.1: non-empty passwords are encoded as BMPString
    // (UTF-16BE) with a trailing two-byte null terminator. The empty password
    // is the empty byte sequence, not `[0x00, 0x00]`.
    if (password.length === 0)
        return new Uint8Array(0);
    const bytes = new Uint8Array(password.length * 2 + 2);
    for (let i = 0; i < password.length; i++) {
        const code = password.charCodeAt(i);
        bytes[i * 2] = (code >> 8) & 0xff;
        bytes[i * 2 + 1] = code & 0xff;
    }
    return bytes;
}
/**
 * PKCS#12 key derivation (RFC 7292 Appendix B.2) for deriving the MAC key.
 *
 * Specialized for the case where the desired key length is at most the
 * hash output size (which is always true for HMAC keys here: 20 bytes for
 * SHA-1, 32 bytes for SHA-256). In that case only a single block A[1] is
 * produced, so the iterative I-update loop from the spec is unnecessary.
 */
async function deriveMacKey(hash, password, salt, iterations) {
    const v = hash.blockSize;
    const u = hash.outputSize;
    const ID_MAC = 3;
    const D = new Uint8Array(v).fill(ID_MAC);
    const P = padToMultipleOf(encodePasswordAsBmpString(password), v);
    const S = padToMultipleOf(salt, v);
    const DI = new Uint8Array(D.length + S.length + P.length);
    DI.set(D, 0);
    DI.set(S, D.length);
    DI.set(P, D.length + S.length);
    let A = await digest(hash, DI);
    for (let i = 1; i < iterations; i++) {
        A = await digest(hash, A);
    }
    return A.subarray(0, u);
}
/**
 * Verify a PKCS#12 PFX MAC using the supplied password.
 *
 * Returns `true` only when the file is a well-formed PKCS#12 v3 structure
 * with an unencrypted `data` authSafe, a recognized MAC digest algorithm
 * (SHA-1/256/384/512), and a MAC that matches the password. Any structural
 * or algorithmic mismatch yields `false`.
 */
async function verifyPkcs12Mac(pfxBytes, password) {
    let parsed;
    try {
        parsed = parsePkcs12(pfxBytes);
    }
    catch {
        return false;
    }
    try {
        const key = await deriveMacKey(parsed.macHash, password, parsed.macSalt, parsed.iterations);
        const cryptoKey = await globalThis.crypto.subtle.importKey("raw", toBufferSource(key), { name: "HMAC", hash: parsed.macHash.name }, false, ["sign"]);
        const mac = new Uint8Array(await globalThis.crypto.subtle.sign("HMAC", cryptoKey, toBufferSource(parsed.authSafe)));
        return bytesEqual(mac, parsed.macDigest);
    }
    catch {
        // Missing crypto.subtle, unsupported algorithm, etc. — treat as "not a
        // verifiable GCP p12" rather than propagating to the caller.
        return false;
    }
}

// The PKCS#12 password for GCP Service Account private key files.
// https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts.keys#serviceaccountprivatekeytype
const GCP_SERVICE_ACCOUNT_P12_PASSWORD = "notasecret";
async function reportIfFoundPrivateKeyP12Format({ source, context, t, }) {
    if (!source.filePath) {
        return;
    }
    try {
        // lazy load fs/path; browser does not have fs module
        const fs = await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 24, 19));
        const path = await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 760, 19));
        const pfxBytes = new Uint8Array(fs.readFileSync(source.filePath));
        const isGcpServiceAccountP12 = await verifyPkcs12Mac(pfxBytes, GCP_SERVICE_ACCOUNT_P12_PASSWORD);
        if (!isGcpServiceAccountP12) {
            return;
        }
        context.report({
            message: t("PrivateKeyP12", {
                FILE_NAME: path.basename(source.filePath),
            }),
            range: [0, source.content.length],
        });
    }
    catch {
        // nope
    }
}

const messages$n = {
    PrivateKeyP12: {
        en: (props) => `found GCP Service Account's private key(p12): ${props.FILE_NAME}`,
        ja: (props) => `GCPサービスアカウントの秘密鍵(p12) ${props.FILE_NAME} がみつかりました`,
    },
    PrivateKeyJSON: {
        en: (props) => `found GCP Service Account's private key(json): ${props.FILE_NAME}`,
        ja: (props) => `GCPサービスアカウントの秘密鍵(json): ${props.FILE_NAME} がみつかりました`,
    },
};
function reportIfFoundPrivateKeyJSONFormat({ source, context, t, }) {
    try {
        const credentialObject = JSON.parse(source.content);
        // Private Key Pattern
        const PRIVATE_KEY_PATTERN = /-----BEGIN\s?(DSA|RSA|EC|PGP|OPENSSH)?\s?PRIVATE KEY/gm;
        const isGCPServiceAccountPrivateKeyJSON = "private_key_id" in credentialObject &&
            "private_key" in credentialObject &&
            PRIVATE_KEY_PATTERN.test(credentialObject["private_key"]);
        if (!isGCPServiceAccountPrivateKeyJSON) {
            return;
        }
        context.report({
            message: t("PrivateKeyJSON", {
                FILE_NAME: source.filePath ? external_node_path_.basename(source.filePath) : "",
            }),
            range: [0, source.content.length],
        });
    }
    catch {
        // nope
    }
}
const creator$o = {
    messages: messages$n,
    meta: {
        id: "@secretlint/secretlint-rule-gcp",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["all"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-gcp/README.md",
        },
    },
    create(context, options) {
        const t = context.createTranslator(messages$n);
        ({
            allows: options.allows || [],
        });
        return {
            file(source) {
                if (source.ext === ".p12") {
                    return reportIfFoundPrivateKeyP12Format({ source, context, t });
                }
                else if (source.ext === ".json") {
                    return reportIfFoundPrivateKeyJSONFormat({ source, context, t });
                }
            },
        };
    },
};

const messages$m = {
    PackageJSON_xOauthToken: {
        en: (props) => `found GitHub Token: ${props.TOKEN}`,
        ja: (props) => `GitHub Token: ${props.TOKEN} がみつかりました`,
    },
    Npmrc_authToken: {
        en: (props) => `found npmrc authToken: ${props.TOKEN}`,
        ja: (props) => `npmrc authToken: ${props.TOKEN} がみつかりました`,
    },
    NPM_ACCESS_TOKEN: {
        en: (props) => `found npm access token: ${props.TOKEN}`,
        ja: (props) => `npm access token: ${props.TOKEN} がみつかりました`,
    },
};
function reportIfFoundXOauthGitHubToken({ source, options, context, t, }) {
    // https://github.blog/2012-09-21-easier-builds-and-deployments-using-git-over-https-and-oauth/
    // https://stackoverflow.com/questions/14402407/maximum-length-of-a-domain-name-without-the-http-www-com-parts
    const XOAuthPattern = /https?:\/\/(.{1,256}):x-oauth-basic@github.com\//g;
    const results = source.content.matchAll(XOAuthPattern);
    for (const result of results) {
        const index = result.index || 0;
        const match = result[1] || "";
        const range = [index, index + match.length];
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("PackageJSON_xOauthToken", {
                TOKEN: match,
            }),
            range,
        });
    }
}
function reportIfFound_AuthTokenInNpmrc({ source, options, context, t, }) {
    // https://blog.npmjs.org/post/118393368555/deploying-with-npm-private-modules
    // allow _authToken=${NPM_TOKEN}
    // https://github.com/secretlint/secretlint/issues/302
    const AuthTokenPattern = /_authToken=([^$].*)/g;
    const results = source.content.matchAll(AuthTokenPattern);
    for (const result of results) {
        const index = result.index || 0;
        const match = result[1] || "";
        const range = [index, index + match.length];
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("Npmrc_authToken", {
                TOKEN: match,
            }),
            range,
        });
    }
}
function reportIfFound_NPM_ACCESS_TOKEN({ source, options, context, t, }) {
    // https://github.blog/2021-09-23-announcing-npms-new-access-token-format/
    // https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/
    // token length should be 40
    const NPM_ACCESS_TOKEN_PATTERN = /(?<!\p{L})npm_[A-Za-z0-9_]{36}(?![A-Za-z0-9_])/gu;
    const results = source.content.matchAll(NPM_ACCESS_TOKEN_PATTERN);
    for (const result of results) {
        const index = result.index || 0;
        const match = result[0] || "";
        const range = [index, index + match.length];
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("NPM_ACCESS_TOKEN", {
                TOKEN: match,
            }),
            range,
        });
    }
}
const isPackageFile = (filePath) => {
    if (!filePath) {
        return true;
    }
    return filePath.endsWith("package.json") || filePath.endsWith("package-lock.json");
};
const isNpmrc = (filePath) => {
    if (!filePath) {
        return true;
    }
    return filePath.endsWith(".npmrc");
};
const creator$n = {
    messages: messages$m,
    meta: {
        id: "@secretlint/secretlint-rule-npm",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-npm/README.md",
        },
    },
    create(context, options) {
        const t = context.createTranslator(messages$m);
        const normalizedOptions = {
            allows: options.allows || [],
        };
        return {
            file(source) {
                if (isPackageFile(source.filePath)) {
                    reportIfFoundXOauthGitHubToken({ source, options: normalizedOptions, context, t });
                }
                else if (isNpmrc(source.filePath)) {
                    reportIfFound_AuthTokenInNpmrc({ source, options: normalizedOptions, context, t });
                }
                reportIfFound_NPM_ACCESS_TOKEN({ source, options: normalizedOptions, context, t });
            },
        };
    },
};

const messages$l = {
    SLACK_TOKEN: {
        en: (props) => `found slack token: ${props.TOKEN}`,
        ja: (props) => `Slackトークン: ${props.TOKEN} がみつかりました`,
    },
    IncomingWebhook: {
        en: (props) => `found Slack Incoming Webhook: ${props.URL}`,
        ja: (props) => `SlackのIncoming Webhooks: ${props.TOKEN} がみつかりました`,
    },
};
function reportIfFoundRawPrivateKey$1({ source, options, context, t, }) {
    // Based on https://docs.cribl.io/docs/regexesyml
    // https://api.slack.com/docs/token-types
    // Bot user token strings begin with xoxb-
    // User token strings begin with xoxp-
    // App token strings begin with xapp-
    // Workspace access token strings begin with xoxa-2
    // Workspace refresh token strings begin with xoxr
    // Pattern: {prefix}-(\d-)-xxxx-xxxx
    const SLACK_TOKEN_PATTERN = /\b(?:xoxb|xoxp|xapp|xoxa|xoxo|xoxr)-(?:\d-)?(?:[a-zA-Z0-9]{1,40}-)+[a-zA-Z0-9]{1,40}\b/g;
    const results = source.content.matchAll(SLACK_TOKEN_PATTERN);
    for (const result of results) {
        const index = result.index || 0;
        const match = result[0] || "";
        const range = [index, index + match.length];
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("SLACK_TOKEN", {
                TOKEN: match,
            }),
            range,
        });
    }
}
/**
 * Report if found Incoming Webhooks
 * https://api.slack.com/messaging/webhooks
 * @param source
 * @param options
 * @param context
 * @param t
 */
function reportIfFoundIncomingWebhook({ source, options, context, t, }) {
    // Based on https://hooks.slack.com/TXXXXX/BXXXXX/XXXXXXXXXX
    // https://api.slack.com/messaging/webhooks
    const IncomingWebhooksPattern = /https:\/\/hooks\.slack\.com\/services\/T[a-zA-Z0-9]{1,40}\/B[a-zA-Z0-9]{1,40}\/[a-zA-Z0-9]{1,40}/gi;
    const results = source.content.matchAll(IncomingWebhooksPattern);
    for (const result of results) {
        const index = result.index || 0;
        const match = result[0] || "";
        const range = [index, index + match.length];
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("IncomingWebhook", {
                URL: match,
            }),
            range,
        });
    }
}
const creator$m = {
    messages: messages$l,
    meta: {
        id: "@secretlint/secretlint-rule-slack",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-slack/README.md",
        },
    },
    create(context, options) {
        const t = context.createTranslator(messages$l);
        const normalizedOptions = {
            allows: options.allows || [],
        };
        return {
            file(source) {
                reportIfFoundRawPrivateKey$1({ source, options: normalizedOptions, context, t });
                reportIfFoundIncomingWebhook({ source, options: normalizedOptions, context, t });
            },
        };
    },
};

const messages$k = {
    BasicAuth: {
        en: (props) => `found basic auth credential: ${props.CREDENTIAL}`,
        ja: (props) => `ベーシック認証情報: ${props.CREDENTIAL} がみつかりました`,
    },
};
// Common placeholder patterns that should be ignored to avoid false positives
const BUILTIN_IGNORED_PATTERNS$1 = [
    "localhost",
    "127.0.0.1",
    "password",
    "mypassword",
    "myusername",
    "{password}",
    "${password}",
    "{{password}}",
    "{username}",
    "${username}",
    "{{username}}",
    "YOUR_PASSWORD",
    "YOUR_USERNAME",
    "REPLACE_WITH_PASSWORD",
    "REPLACE_WITH_USERNAME",
];
/**
 * Check if the string contains variable-like patterns that indicate it's likely a template
 */
function isVariableLikeString$1(str) {
    // Check for common variable patterns with length limits to prevent ReDoS
    const variablePatterns = [
        /\$\{[^}]{1,50}\}/, // ${var}
        /\{\{[^}]{1,50}\}\}/, // {{var}}
        /\{[^}]{1,50}\}/, // {var}
        /%[A-Z_]{1,30}%/, // %VAR%
        /\$[A-Z_]{1,30}/, // $VAR
    ];
    return variablePatterns.some((pattern) => pattern.test(str));
}
/**
 * Check if the username part looks like a real credential
 */
function isLikelyRealUsername(username) {
    // Skip if it's too short
    if (username.length < 2)
        return false;
    // Skip if it contains variable patterns
    if (isVariableLikeString$1(username))
        return false;
    // Skip if it's a common placeholder
    if (BUILTIN_IGNORED_PATTERNS$1.some((pattern) => username.toLowerCase().includes(pattern.toLowerCase()))) {
        return false;
    }
    return true;
}
/**
 * Check if the password part looks like a real credential
 */
function isLikelyRealPassword$1(password) {
    // Skip if it's too short or too simple
    if (password.length < 4)
        return false;
    // Skip if it contains variable patterns
    if (isVariableLikeString$1(password))
        return false;
    // Skip if it's a common placeholder
    if (BUILTIN_IGNORED_PATTERNS$1.some((pattern) => password.toLowerCase().includes(pattern.toLowerCase()))) {
        return false;
    }
    // Skip passwords that are too repetitive (same character repeated)
    if (/^(.)\1{3,}$/.test(password))
        return false; // e.g., "aaaa", "1111", "xxxx"
    return true;
}
function reportIfFoundBasicAuth({ source, options, context, t, }) {
    // https://developer.mozilla.org/docs/Web/HTTP/Authentication
    // https://ihateregex.io/expr/url
    // Using possessive quantifiers to prevent ReDoS
    const URL_PATTERN = /(?<protocol>(?:https?|ftp|ftps)):\/\/(?<user>[-a-zA-Z0-9_]{1,256}):(?<password>[-a-zA-Z0-9_]{1,256})@[-a-zA-Z0-9%._+~#=]{1,256}\.[a-zA-Z0-9()]{1,6}\b/g;
    const results = source.content.matchAll(URL_PATTERN);
    for (const result of results) {
        const index = result.index || 0;
        const match = result[0] || "";
        const username = result.groups?.user;
        const password = result.groups?.password;
        // Skip if no credentials found
        if (!username || !password)
            continue;
        // Skip if username doesn't look real
        if (!isLikelyRealUsername(username))
            continue;
        // Skip if password doesn't look real
        if (!isLikelyRealPassword$1(password))
            continue;
        const range = [index, index + match.length];
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("BasicAuth", {
                CREDENTIAL: match,
            }),
            range,
        });
    }
}
const creator$l = {
    messages: messages$k,
    meta: {
        id: "@secretlint/secretlint-rule-basicauth",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-basicauth/README.md",
        },
    },
    create(context, options) {
        const t = context.createTranslator(messages$k);
        const normalizedOptions = {
            allows: options.allows || [],
        };
        return {
            file(source) {
                reportIfFoundBasicAuth({ source, options: normalizedOptions, context, t });
            },
        };
    },
};

const messages$j = {
    OPENAI_TOKEN: {
        en: (props) => `found OpenAI API token: ${props.TOKEN}`,
        ja: (props) => `OpenAI API トークン: ${props.TOKEN} がみつかりました`,
    },
};
const creator$k = {
    messages: messages$j,
    meta: {
        id: "@secretlint/secretlint-rule-openai",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-openai/README.md",
        },
    },
    create(context) {
        const t = context.createTranslator(messages$j);
        return {
            file(source) {
                const pattern = /sk-(?:proj|svcacct|admin)-(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})T3BlbkFJ(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})\b|sk-[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20}/g;
                const matches = source.content.matchAll(pattern);
                for (const match of matches) {
                    const index = match.index ?? 0;
                    const matchString = match[0] ?? "";
                    const range = [index, index + matchString.length];
                    context.report({
                        message: t("OPENAI_TOKEN", {
                            TOKEN: matchString,
                        }),
                        range,
                    });
                }
            },
        };
    },
};

const messages$i = {
    ANTHROPIC_API_KEY: {
        en: (props) => `found Anthropic Claude API key: ${props.KEY}`,
        ja: (props) => `Anthropic Claude API キー: ${props.KEY} がみつかりました`,
    },
};
const creator$j = {
    messages: messages$i,
    meta: {
        id: "@secretlint/secretlint-rule-anthropic",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-anthropic/README.md",
        },
    },
    create(context) {
        const t = context.createTranslator(messages$i);
        return {
            file(source) {
                // Anthropic Claude API keys patterns:
                // - sk-ant-api03-... (original format) - 13 chars prefix
                // - sk-ant-api04-... (newer format) - 13 chars prefix
                // Example format: sk-ant-api03-<93 base64url chars>AA (108 chars total)
                // Breakdown: prefix(13) + middle(93) + suffix(2) = 108 chars
                // Pattern: sk-ant-api0[3-4]- + base64-like characters (exactly 93 chars) + ending with AA
                // https://docs.anthropic.com/en/api/overview
                // https://docs.anthropic.com/en/api/admin-api/apikeys/get-api-key
                // https://docs.gitguardian.com/secrets-detection/secrets-detection-engine/detectors/specifics/claude_api_key
                const pattern = /(?<!\p{L})sk-ant-api0\d-[A-Za-z0-9_-]{90,128}AA(?![A-Za-z0-9_-])/gu;
                const matches = source.content.matchAll(pattern);
                for (const match of matches) {
                    const index = match.index ?? 0;
                    const matchString = match[0] ?? "";
                    const range = [index, index + matchString.length];
                    context.report({
                        message: t("ANTHROPIC_API_KEY", {
                            KEY: matchString,
                        }),
                        range,
                    });
                }
            },
        };
    },
};

const messages$h = {
    GROQ_API_KEY: {
        en: (props) => `found Groq API key: ${props.KEY}`,
        ja: (props) => `Groq API キー: ${props.KEY} がみつかりました`,
    },
};
const creator$i = {
    messages: messages$h,
    meta: {
        id: "@secretlint/secretlint-rule-groq",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-groq/README.md",
        },
    },
    create(context, options) {
        const t = context.createTranslator(messages$h);
        const normalizedOptions = {
            allows: options?.allows ?? [],
        };
        return {
            file(source) {
                // Groq API keys format:
                // - Prefix "gsk_" followed by exactly 52 alphanumeric characters
                // References:
                // - https://console.groq.com/docs/quickstart
                // - https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns
                // - https://github.com/trufflesecurity/trufflehog/blob/main/pkg/detectors/groq/groq.go
                const pattern = /(?<!\p{L})gsk_[a-zA-Z0-9]{52}(?![a-zA-Z0-9])/gu;
                const matches = source.content.matchAll(pattern);
                for (const match of matches) {
                    const index = match.index ?? 0;
                    const matchString = match[0] ?? "";
                    const allowedResults = regexpStringMatcherExports.matchPatterns(matchString, normalizedOptions.allows);
                    if (allowedResults.length > 0) {
                        continue;
                    }
                    const range = [index, index + matchString.length];
                    context.report({
                        message: t("GROQ_API_KEY", {
                            KEY: matchString,
                        }),
                        range,
                    });
                }
            },
        };
    },
};

const messages$g = {
    HUGGINGFACE_USER_ACCESS_TOKEN: {
        en: (props) => `found Hugging Face User Access Token: ${props.TOKEN}`,
        ja: (props) => `Hugging Face User Access Token: ${props.TOKEN} がみつかりました`,
    },
};
const creator$h = {
    messages: messages$g,
    meta: {
        id: "@secretlint/secretlint-rule-huggingface",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-huggingface/README.md",
        },
    },
    create(context, options) {
        const t = context.createTranslator(messages$g);
        const normalizedOptions = {
            allows: options?.allows ?? [],
        };
        return {
            file(source) {
                // Hugging Face User Access Token format:
                // - Prefix: `hf_`
                // - Body: exactly 34 alphabetic characters (a-z, A-Z)
                // References:
                // - https://huggingface.co/docs/hub/security-tokens
                // - https://github.com/gitleaks/gitleaks
                const pattern = /(?<!\p{L})hf_[a-zA-Z]{34}(?![a-zA-Z])/gu;
                const matches = source.content.matchAll(pattern);
                for (const match of matches) {
                    const index = match.index ?? 0;
                    const matchString = match[0] ?? "";
                    const allowedResults = regexpStringMatcherExports.matchPatterns(matchString, normalizedOptions.allows);
                    if (allowedResults.length > 0) {
                        continue;
                    }
                    const range = [index, index + matchString.length];
                    context.report({
                        message: t("HUGGINGFACE_USER_ACCESS_TOKEN", {
                            TOKEN: matchString,
                        }),
                        range,
                    });
                }
            },
        };
    },
};

const messages$f = {
    LINEAR_API_TOKEN: {
        en: (props) => `found linear api token: ${props.ID}`,
        ja: (props) => `linear api token: ${props.ID} がみつかりました`,
    },
};
const creator$g = {
    messages: messages$f,
    meta: {
        id: "@secretlint/secretlint-rule-linear",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-linear/README.md",
        },
    },
    create(context) {
        const t = context.createTranslator(messages$f);
        return {
            file(source) {
                const pattern = /(?<!\p{L})lin_api_[a-zA-Z0-9_]{32,128}(?![a-zA-Z0-9_])/gu;
                const matches = source.content.matchAll(pattern);
                for (const match of matches) {
                    const index = match.index ?? 0;
                    const matchString = match[0] ?? "";
                    const range = [index, index + matchString.length];
                    context.report({
                        message: t("LINEAR_API_TOKEN", {
                            ID: matchString,
                        }),
                        range,
                    });
                }
            },
        };
    },
};

const messages$e = {
    NOTION_INTEGRATION_TOKEN: {
        en: (props) => `found Notion integration token: ${props.TOKEN}`,
        ja: (props) => `Notion integration トークン: ${props.TOKEN} がみつかりました`,
    },
};
function reportIfFoundToken({ source, options, context, t, }) {
    /**
     * Notion Integration Token (new format introduced September 2024).
     *
     * Structure: `ntn_` prefix + 11 digits + 35 alphanumeric characters (46 chars after prefix).
     * The legacy `secret_` prefix is intentionally NOT detected here because it is too
     * generic and prone to false positives.
     *
     * References:
     * - https://developers.notion.com/changelog (API token prefix transition)
     * - https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns
     * - https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml (notion-api-token)
     *
     * Note: Notion warns that the token format may change, so this pattern may need
     * to be revisited if a future format is introduced.
     */
    const NOTION_INTEGRATION_TOKEN_PATTERN = /(?<!\p{L})ntn_[0-9]{11}[A-Za-z0-9]{35}(?![A-Za-z0-9])/gu;
    const results = source.content.matchAll(NOTION_INTEGRATION_TOKEN_PATTERN);
    for (const result of results) {
        const index = result.index ?? 0;
        const match = result[0] ?? "";
        const range = [index, index + match.length];
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("NOTION_INTEGRATION_TOKEN", {
                TOKEN: match,
            }),
            range,
        });
    }
}
const creator$f = {
    messages: messages$e,
    meta: {
        id: "@secretlint/secretlint-rule-notion",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-notion/README.md",
        },
    },
    create(context, options) {
        const t = context.createTranslator(messages$e);
        const normalizedOptions = {
            allows: options.allows ?? [],
        };
        return {
            file(source) {
                reportIfFoundToken({ source, options: normalizedOptions, context, t });
            },
        };
    },
};

const messages$d = {
    PrivateKey: {
        en: (props) => `found private key: ${props.KEY}`,
        ja: (props) => `秘密鍵: ${props.KEY} がみつかりました`,
    },
};
/**
 * Regular expression to detect private keys and extract Base64 content in one pass
 * Based on https://docs.cribl.io/docs/regexesyml
 * Captures the Base64 content (group 1) between BEGIN and END markers
 *
 * Length constraint {100,10000} (heuristic):
 * - Minimum 100: Heuristically excludes short placeholders (smallest real key ECDSA-256 ≈ 288 chars)
 * - Maximum 10000: Heuristically prevents catastrophic backtracking and extremely large inputs
 *
 * Character class [A-Za-z0-9+/=\s\\]:
 * - Restricts to Base64 characters, whitespace, and backslash to prevent ReDoS attacks
 * - Backslash included to handle JSON escape sequences (\n, \r, \t)
 * - Fails fast on invalid characters, reducing backtracking complexity
 *
 * ReDoS mitigation:
 * - Uses greedy quantifier (no ?) to reduce backtracking ambiguity
 * - Simplified optional parts to minimize exponential complexity
 * - Length limit ensures bounded execution time
 */
const PEM_CONTENT_PATTERN = /-----BEGIN[ ]?(?:(?:RSA|DSA|EC|OPENSSH|PGP) )?PRIVATE KEY(?: BLOCK)?-----\n?([A-Za-z0-9+/=\s\\]{100,10000})\n?-----END[ ]?(?:(?:RSA|DSA|EC|OPENSSH|PGP) )?PRIVATE KEY(?: BLOCK)?-----/gm;
/**
 * Validate if the Base64 content is a real private key or a placeholder
 * Based on Base64 validation approach without decoding
 *
 * References:
 * - RFC 7468: Textual Encodings of PKIX, PKCS, and CMS Structures
 *   https://tools.ietf.org/html/rfc7468
 * - RFC 4648: The Base16, Base32, and Base64 Data Encodings
 *   https://datatracker.ietf.org/doc/html/rfc4648
 * - RFC 5208: PKCS #8: Private-Key Information Syntax v1.2
 *   https://datatracker.ietf.org/doc/html/rfc5208
 * - RFC 5958: Asymmetric Key Packages
 *   https://datatracker.ietf.org/doc/html/rfc5958
 * - RFC 3447: PKCS #1: RSA Cryptography Specifications v2.1
 *   https://datatracker.ietf.org/doc/html/rfc3447
 * - OpenSSH PROTOCOL.key
 *   https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.key
 *
 * @param base64Content - The Base64-encoded key content (without PEM headers)
 * @returns true if it's likely a real private key, false if it's a placeholder
 */
function validateBase64KeyContent(base64Content) {
    // 1. Base64 format validation (RFC 4648)
    // Reject non-Base64 characters like "...", "***", "xxx"
    if (!/^[A-Za-z0-9+/]+=*$/.test(base64Content)) {
        return false;
    }
    // 2. Minimum length check (Base64 100 chars = ~75 bytes decoded)
    // Real keys are much longer: RSA-1024 ≈ 800 chars, EC-256 ≈ 120 chars
    if (base64Content.length < 100) {
        return false;
    }
    // 3. Magic byte check (in Base64)
    // ASN.1 format (PKCS#1, PKCS#8, SEC1): 0x30 (SEQUENCE) → "MI*"
    // OpenSSH format: "openssh-key-v1\0" → "b3BlbnNzaC1rZXktdjE"
    const validMagicBytes = /^(MI|b3BlbnNzaC1rZXktdjE)/;
    if (!validMagicBytes.test(base64Content)) {
        return false;
    }
    return true;
}
function reportIfFoundRawPrivateKey({ source, options, context, t, }) {
    // Use PEM_CONTENT_PATTERN to extract both full match and Base64 content in one pass
    const results = source.content.matchAll(PEM_CONTENT_PATTERN);
    for (const result of results) {
        const index = result.index || 0;
        const match = result[0] || "";
        const base64Raw = result[1] || "";
        const range = [index, index + match.length];
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        // Remove whitespace and escaped newlines (from JSON strings)
        const base64Content = base64Raw.replace(/\s|\\n/g, "");
        // Validate if the Base64 content is a real private key
        if (!validateBase64KeyContent(base64Content)) {
            continue;
        }
        context.report({
            message: t("PrivateKey", {
                KEY: match,
            }),
            range,
        });
    }
}
const creator$e = {
    messages: messages$d,
    meta: {
        id: "@secretlint/secretlint-rule-privatekey",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-privatekey/README.md",
        },
    },
    create(context, options) {
        const t = context.createTranslator(messages$d);
        const normalizedOptions = {
            allows: options.allows || [],
        };
        return {
            file(source) {
                reportIfFoundRawPrivateKey({ source, options: normalizedOptions, context, t });
            },
        };
    },
};

const messages$c = {
    SENDGRID_KEY: {
        en: (props) => `found Sendgrid api key: ${props.KEY}`,
        ja: (props) => `Sendgrid APIキーが見つかりました： ${props.KEY}`,
    },
};
function reportIfFoundKey$3({ source, options, context, t, }) {
    const SENDGRID_KEY_PATTERN = /(?<!\p{L})SG\.\w{1,128}\.\w{1,128}([-_]?)\w{1,128}(?!\w)/gu;
    const results = source.content.matchAll(SENDGRID_KEY_PATTERN);
    for (const result of results) {
        const index = result.index || 0;
        const match = result[0] || "";
        if (match.length !== 69) {
            // send grid api key is 69 characters long
            continue;
        }
        const range = [index, index + match.length];
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("SENDGRID_KEY", {
                KEY: match,
            }),
            range,
        });
    }
}
const creator$d = {
    messages: messages$c,
    meta: {
        id: "@secretlint/secretlint-rule-sendgrid",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-sendgrid/README.md",
        },
    },
    create(context, options) {
        const t = context.createTranslator(messages$c);
        const normalizedOptions = {
            allows: options.allows || [],
        };
        return {
            file(source) {
                reportIfFoundKey$3({ source, options: normalizedOptions, context, t });
            },
        };
    },
};

const messages$b = {
    SHOPIFY_KEY: {
        en: (props) => `found Shopify api key: ${props.KEY}`,
        ja: (props) => `Shopify APIキーが見つかりました： ${props.KEY}`
    }
};
function reportIfFoundKey$2({ source, options, context, t }) {
    /**
     * Source: https://shopify.dev/changelog/app-secret-key-length-has-increased
     * for app secret keys
     * shpss_[a-zA-Z0-9]{32,64}
     * e.g.) shpss_QlRSJy5AXX1cILNjVatTsEIhFxuPF5ex
     *
     * Source: https://shopify.dev/changelog/length-of-the-shopify-access-token-is-increasing
     * for public apps
     * shpat_[a-zA-Z0-9]{32,64}
     * e.g.) shpat_r8TRc9ZXAvcVvcrmtr7qoVw69WeeY1ex
     *
     * for custom apps
     * shpca_[a-zA-Z0-9]{32,64}
     * e.g.) shpca_7jqbg9cupMkZRxJKXWz3v8BvS8QBa7hMdJfAex
     *
     * for legacy private apps
     * shppa_[a-zA-Z0-9]{32,64}
     * e.g.) shppa_7jqbg9cupMkZRxJKXWz3v8BvS8QBa7hMdJfAex
     */
    const SHOPIFY_KEY_PATTERN = /(?<!\p{L})(shppa|shpca|shpat|shpss)_[a-zA-Z0-9]{32,64}(?![a-zA-Z0-9])/gu;
    const results = source.content.matchAll(SHOPIFY_KEY_PATTERN);
    for (const result of results) {
        const index = result.index || 0;
        const match = result[0] || "";
        const range = [index, index + match.length];
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("SHOPIFY_KEY", {
                KEY: match
            }),
            range
        });
    }
}
const creator$c = {
    messages: messages$b,
    meta: {
        id: "@secretlint/secretlint-rule-shopify",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-shopify/README.md"
        }
    },
    create(context, options) {
        const t = context.createTranslator(messages$b);
        const normalizedOptions = {
            allows: options.allows || []
        };
        return {
            file(source) {
                reportIfFoundKey$2({ source, options: normalizedOptions, context, t });
            }
        };
    }
};

const messages$a = {
    GITHUB_TOKEN: {
        en: (props) => `found GitHub Token(${props.typeName}): ${props.KEY}`,
        ja: (props) => `GitHub Token(${props.typeName})が見つかりました： ${props.KEY}`,
    },
};
// ghp for GitHub personal access tokens
// gho for OAuth access tokens
// ghu for GitHub user-to-server tokens
// ghs for GitHub server-to-server tokens
// ghr for refresh tokens
// github_pat for fine-grained personal access tokens
const typeMap = new Map([
    ["ghp", "GitHub personal access tokens"],
    ["gho", "OAuth access tokens"],
    ["ghu", "GitHub user-to-server tokens"],
    ["ghs", "GitHub server-to-server tokens"],
    ["ghr", "refresh tokens"],
    ["github_pat", "fine-grained personal access tokens"],
]);
function reportIfFoundKey$1({ pattern, source, options, context, t, }) {
    const results = source.content.matchAll(pattern);
    for (const result of results) {
        const index = result.index || 0;
        const type = result.groups?.type;
        const typeName = typeMap.get(type);
        if (!typeName) {
            throw new Error("Unknown type:" + typeName);
        }
        const match = result[0] || "";
        const range = [index, index + match.length];
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("GITHUB_TOKEN", {
                KEY: match,
                typeName,
            }),
            range,
        });
    }
}
const creator$b = {
    messages: messages$a,
    meta: {
        id: "@secretlint/secretlint-rule-github",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-github/README.md",
        },
    },
    create(context, options) {
        // token length should be 40
        // https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/
        const CLASSIC_GITHUB_TOKEN_PATTERN = /(?<!\p{L})(?<type>ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{36}(?![A-Za-z0-9_])/gu;
        // fine-grained personal access tokens. FIXME: Format of the token is unclear
        // https://github.com/community/community/discussions/36441#discussioncomment-4014190
        const FINE_GRAINED_GITHUB_TOKEN_PATTERN = /(?<!\p{L})(?<type>github_pat)_[A-Za-z0-9_]{82}(?![A-Za-z0-9_])/gu;
        const patterns = [CLASSIC_GITHUB_TOKEN_PATTERN, FINE_GRAINED_GITHUB_TOKEN_PATTERN];
        const t = context.createTranslator(messages$a);
        const normalizedOptions = {
            allows: options.allows || [],
        };
        return {
            file(source) {
                for (const pattern of patterns) {
                    reportIfFoundKey$1({ pattern, source, options: normalizedOptions, context, t });
                }
            },
        };
    },
};

const messages$9 = {
    GITLAB_PERSONAL_ACCESS_TOKEN: {
        en: (props) => `found GitLab Personal Access Token: ${props.KEY}`,
        ja: (props) => `GitLab Personal Access Tokenが見つかりました: ${props.KEY}`,
    },
};
function reportIfFoundKey({ pattern, source, options, context, t, }) {
    const results = source.content.matchAll(pattern);
    for (const result of results) {
        const index = result.index ?? 0;
        const match = result[0] ?? "";
        const range = [index, index + match.length];
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("GITLAB_PERSONAL_ACCESS_TOKEN", {
                KEY: match,
            }),
            range,
        });
    }
}
const creator$a = {
    messages: messages$9,
    meta: {
        id: "@secretlint/secretlint-rule-gitlab",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-gitlab/README.md",
        },
    },
    create(context, options) {
        // GitLab Personal Access Token
        // Prefix `glpat-` followed by 20–128 characters.
        // Standard PATs are a fixed 20 characters. Routable tokens extend up to ~38 characters with a dot-suffix.
        // - https://docs.gitlab.com/security/tokens/
        // - https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns
        const GITLAB_PERSONAL_ACCESS_TOKEN_PATTERN = /(?<!\p{L})glpat-[A-Za-z0-9_-]{20,128}(?![A-Za-z0-9_-])/gu;
        const patterns = [GITLAB_PERSONAL_ACCESS_TOKEN_PATTERN];
        const t = context.createTranslator(messages$9);
        const normalizedOptions = {
            allows: options.allows ?? [],
        };
        return {
            file(source) {
                for (const pattern of patterns) {
                    reportIfFoundKey({ pattern, source, options: normalizedOptions, context, t });
                }
            },
        };
    },
};

const messages$8 = {
    GRAFANA_CLOUD_API_TOKEN: {
        en: (props) => `found Grafana Cloud API token: ${props.TOKEN}`,
        ja: (props) => `Grafana Cloud API トークン: ${props.TOKEN} がみつかりました`,
    },
    GRAFANA_SERVICE_ACCOUNT_TOKEN: {
        en: (props) => `found Grafana Service Account token: ${props.TOKEN}`,
        ja: (props) => `Grafana Service Account トークン: ${props.TOKEN} がみつかりました`,
    },
};
function reportIfFound({ pattern, messageId, source, options, context, t, }) {
    const results = source.content.matchAll(pattern);
    for (const result of results) {
        const index = result.index ?? 0;
        const match = result[0] ?? "";
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        const range = [index, index + match.length];
        context.report({
            message: t(messageId, {
                TOKEN: match,
            }),
            range,
        });
    }
}
const creator$9 = {
    messages: messages$8,
    meta: {
        id: "@secretlint/secretlint-rule-grafana",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-grafana/README.md",
        },
    },
    create(context, options) {
        const t = context.createTranslator(messages$8);
        const normalizedOptions = {
            allows: options?.allows ?? [],
        };
        // Grafana Cloud API token
        // Prefix: `glc_`, followed by base64-encoded JWT content.
        // Real tokens start with `glc_eyJ` (the base64 prefix of `{"`).
        // https://grafana.com/docs/grafana-cloud/account-management/authentication-and-permissions/api-keys/
        const GRAFANA_CLOUD_API_TOKEN_PATTERN = /(?<!\p{L})glc_[A-Za-z0-9+/]{32,400}={0,2}(?![A-Za-z0-9+/=])/gu;
        // Grafana Service Account token
        // Prefix: `glsa_`, followed by 32 alphanumeric characters, an
        // underscore, and an 8-character hex checksum.
        // https://grafana.com/docs/grafana/latest/administration/service-accounts/
        const GRAFANA_SERVICE_ACCOUNT_TOKEN_PATTERN = /(?<!\p{L})glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}(?![A-Fa-f0-9])/gu;
        return {
            file(source) {
                reportIfFound({
                    pattern: GRAFANA_CLOUD_API_TOKEN_PATTERN,
                    messageId: "GRAFANA_CLOUD_API_TOKEN",
                    source,
                    options: normalizedOptions,
                    context,
                    t,
                });
                reportIfFound({
                    pattern: GRAFANA_SERVICE_ACCOUNT_TOKEN_PATTERN,
                    messageId: "GRAFANA_SERVICE_ACCOUNT_TOKEN",
                    source,
                    options: normalizedOptions,
                    context,
                    t,
                });
            },
        };
    },
};

const messages$7 = {
    OPS_TOKEN: {
        en: (props) => `found 1Password Service Account token: ${props.TOKEN}`,
        ja: (props) => `1Password Service Account: ${props.TOKEN} がみつかりました`,
    },
};
const is1PasswordServiceAccountToken = (base64String) => {
    try {
        const jsonString = atob(base64String.replace(/-/g, "+").replace(/_/g, "/"));
        const json = JSON.parse(jsonString);
        return typeof json === "object" && json !== null;
    }
    catch (error) {
        return false;
    }
};
const creator$8 = {
    messages: messages$7,
    meta: {
        id: "@secretlint/secretlint-rule-1password",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-1password/README.md",
        },
    },
    create(context, options) {
        const t = context.createTranslator(messages$7);
        const normalizedOptions = {
            allows: options?.allows ?? [],
        };
        return {
            file(source) {
                // 1Password Service Account format is `ops_<base64>`
                // https://developer.1password.com/docs/service-accounts/security/
                // It will be like ops_{"email":"ejwe64qmlxhri@1passwordserviceaccounts.lcl","muk":{"alg":"A256GCM","ext":true,"k":"M8VPfIc8VEfThcMXLaKCKF8sMh5JMZsPAtu92fQNb-o","key_ops":["encrypt","decrypt"],"kty":"oct","kid":"mp"},"secretKey":"A3-C4ZJMN-PQTZTL-HGL84-G64M7-KVZRN-4ZVP6","srpX":"870d67a9e626625d9e368507804c9c32e661c57e7e558778291bf29d5a279ae1","signInAddress":"gotham.b5local.com:4000","userAuth":{"method":"SRPg-4096","alg":"PBES2g-HS256","iterations":100000,"salt":"FMRUPiyrN4Xf_8Hoh6YRXQ"}}
                // This regexp match `ops_{...}` pattern
                const pattern = /(?<!\p{L})ops_(ey[A-Za-z0-9+/=]{100,1280}fQ={0,2})(?![A-Za-z0-9+/=])/gu;
                const matches = source.content.matchAll(pattern);
                for (const match of matches) {
                    const index = match.index ?? 0;
                    const matchString = match[0] ?? "";
                    const base64String = match[1] ?? "";
                    if (!is1PasswordServiceAccountToken(base64String)) {
                        continue;
                    }
                    const allowedResults = regexpStringMatcherExports.matchPatterns(matchString, normalizedOptions.allows);
                    if (allowedResults.length > 0) {
                        continue;
                    }
                    const range = [index, index + matchString.length];
                    context.report({
                        message: t("OPS_TOKEN", {
                            TOKEN: matchString,
                        }),
                        range,
                    });
                }
            },
        };
    },
};

const messages$6 = {
    MongoDBConnection: {
        en: (props) => `found MongoDB connection string: ${props.URI}`,
        ja: (props) => `MongoDB接続文字列: ${props.URI} がみつかりました`,
    },
    MySQLConnection: {
        en: (props) => `found MySQL connection string: ${props.URI}`,
        ja: (props) => `MySQL接続文字列: ${props.URI} がみつかりました`,
    },
    PostgreSQLConnection: {
        en: (props) => `found PostgreSQL connection string: ${props.URI}`,
        ja: (props) => `PostgreSQL接続文字列: ${props.URI} がみつかりました`,
    },
};
// Common placeholder patterns that should be ignored to avoid false positives
const BUILTIN_IGNORED_PATTERNS = [
    "localhost",
    "127.0.0.1",
    "example.com",
    "example.org",
    "test.com",
    "password",
    "username",
    "secret",
    "mypassword",
    "myusername",
    "root",
    "admin",
    "user",
    "pass",
    "{password}",
    "${password}",
    "{{password}}",
    "{username}",
    "${username}",
    "{{username}}",
    "YOUR_PASSWORD",
    "YOUR_USERNAME",
    "REPLACE_WITH_PASSWORD",
];
/**
 * Check if the string contains variable-like patterns that indicate it's likely a template
 */
function isVariableLikeString(str) {
    // Check for common variable patterns with length limits to prevent ReDoS
    const variablePatterns = [
        /\$\{[^}]{1,50}\}/, // ${var}
        /\{\{[^}]{1,50}\}\}/, // {{var}}
        /\{[^}]{1,50}\}/, // {var}
        /%[A-Z_]{1,30}%/, // %VAR%
        /\$[A-Z_]{1,30}/, // $VAR
        /\$\([^)]{1,50}\)/, // $(var)
    ];
    return variablePatterns.some((pattern) => pattern.test(str));
}
/**
 * Check if the password part looks like a real credential
 */
function isLikelyRealPassword(password) {
    // Skip if it's too short or too simple
    if (password.length < 4)
        return false;
    // Skip if it contains variable patterns
    if (isVariableLikeString(password))
        return false;
    // Skip if it's exactly a common placeholder (not just contains it)
    const passwordLower = password.toLowerCase();
    if (BUILTIN_IGNORED_PATTERNS.some((pattern) => passwordLower === pattern.toLowerCase())) {
        return false;
    }
    // Skip passwords that are too repetitive (same character repeated)
    if (/^(.)\1{3,}$/.test(password))
        return false; // e.g., "aaaa", "1111", "xxxx"
    return true;
}
function reportMongoDBConnectionString({ source, options, context, t, }) {
    // MongoDB URI patterns: mongodb:// and mongodb+srv://
    // Captures: mongodb://[username:password@]host[:port][/database][?options]
    // Using possessive quantifiers to prevent ReDoS
    const MONGODB_PATTERN = /mongodb(?:\+srv)?:\/\/(?:(?<username>[^:\/\s]{1,100}):(?<password>[^@\/\s]{1,200})@)?(?<host>[^\/\s?]{1,100})(?:\/(?<database>[^?\s]{0,100}))?(?:\?(?<options>[^\s]{0,500}))?/gi;
    const results = source.content.matchAll(MONGODB_PATTERN);
    for (const result of results) {
        const index = result.index || 0;
        const match = result[0] || "";
        const username = result.groups?.username;
        const password = result.groups?.password;
        // Skip if no credentials found
        if (!username || !password)
            continue;
        // Skip if password doesn't look real
        if (!isLikelyRealPassword(password))
            continue;
        const range = [index, index + match.length];
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("MongoDBConnection", {
                URI: match,
            }),
            range,
        });
    }
}
function reportMySQLConnectionString({ source, options, context, t, }) {
    // MySQL URI patterns: jdbc:mysql://, mysql://, mysqlx://
    // Using possessive quantifiers to prevent ReDoS
    const MYSQL_URI_PATTERN = /(?:jdbc:)?mysql(?:x)?:\/\/(?:(?<username>[^:\/\s]{1,100}):(?<password>[^@\/\s]{1,200})@)?(?<host>[^\/\s?]{1,100})(?:\/(?<database>[^?\s]{0,100}))?(?:\?(?<options>[^\s]{0,500}))?/gi;
    const results = source.content.matchAll(MYSQL_URI_PATTERN);
    for (const result of results) {
        const index = result.index || 0;
        const match = result[0] || "";
        const username = result.groups?.username;
        const password = result.groups?.password;
        // Skip if no credentials found
        if (!username || !password)
            continue;
        // Skip if password doesn't look real
        if (!isLikelyRealPassword(password))
            continue;
        const range = [index, index + match.length];
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("MySQLConnection", {
                URI: match,
            }),
            range,
        });
    }
}
function reportPostgreSQLConnectionString({ source, options, context, t, }) {
    // PostgreSQL URI patterns: postgresql://, postgres://
    // Using possessive quantifiers to prevent ReDoS
    const POSTGRESQL_URI_PATTERN = /postgres(?:ql)?:\/\/(?:(?<username>[^:\/\s]{1,100}):(?<password>[^@\/\s]{1,200})@)?(?<host>[^\/\s?]{1,100})(?:\/(?<database>[^?\s]{0,100}))?(?:\?(?<options>[^\s]{0,500}))?/gi;
    const results = source.content.matchAll(POSTGRESQL_URI_PATTERN);
    for (const result of results) {
        const index = result.index || 0;
        const match = result[0] || "";
        const username = result.groups?.username;
        const password = result.groups?.password;
        // Skip if no credentials found
        if (!username || !password)
            continue;
        // Skip if password doesn't look real
        if (!isLikelyRealPassword(password))
            continue;
        const range = [index, index + match.length];
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("PostgreSQLConnection", {
                URI: match,
            }),
            range,
        });
    }
}
const creator$7 = {
    messages: messages$6,
    meta: {
        id: "@secretlint/secretlint-rule-database-connection-string",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-database-connection-string/README.md",
        },
    },
    create(context, options) {
        const normalizedOptions = {
            allows: options.allows || [],
        };
        const t = context.createTranslator(messages$6);
        return {
            file(source) {
                reportMongoDBConnectionString({ source, options: normalizedOptions, context, t });
                reportMySQLConnectionString({ source, options: normalizedOptions, context, t });
                reportPostgreSQLConnectionString({ source, options: normalizedOptions, context, t });
            },
        };
    },
};

const messages$5 = {
    HASHICORP_VAULT_SERVICE_TOKEN: {
        en: (props) => `found HashiCorp Vault service token: ${props.TOKEN}`,
        ja: (props) => `HashiCorp Vault service token: ${props.TOKEN} がみつかりました`,
    },
    HASHICORP_VAULT_BATCH_TOKEN: {
        en: (props) => `found HashiCorp Vault batch token: ${props.TOKEN}`,
        ja: (props) => `HashiCorp Vault batch token: ${props.TOKEN} がみつかりました`,
    },
    HASHICORP_VAULT_RECOVERY_TOKEN: {
        en: (props) => `found HashiCorp Vault recovery token: ${props.TOKEN}`,
        ja: (props) => `HashiCorp Vault recovery token: ${props.TOKEN} がみつかりました`,
    },
};
// HashiCorp Vault token formats (Vault 1.10+):
// - Service token:  `hvs.` + 90..120 [A-Za-z0-9_-]
// - Batch token:    `hvb.` + 138..300 [A-Za-z0-9_-]
// - Recovery token: `hvr.` + 90..120 [A-Za-z0-9_-]
// References:
// - https://developer.hashicorp.com/vault/docs/concepts/tokens
// - https://docs.github.com/en/code-security/secret-scanning/secret-scanning-patterns
// - https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml
//
// Boundaries:
// - Leading `(?<!\p{L})` prevents matching when the prefix is glued to another letter
//   (e.g. `xhvs.`), while still allowing punctuation, digits, whitespace, and line starts.
// - Trailing `(?![A-Za-z0-9_-])` anchors to the end of the token body.
const serviceTokenPattern = /(?<!\p{L})hvs\.[A-Za-z0-9_-]{90,120}(?![A-Za-z0-9_-])/gu;
const batchTokenPattern = /(?<!\p{L})hvb\.[A-Za-z0-9_-]{138,300}(?![A-Za-z0-9_-])/gu;
const recoveryTokenPattern = /(?<!\p{L})hvr\.[A-Za-z0-9_-]{90,120}(?![A-Za-z0-9_-])/gu;
const creator$6 = {
    messages: messages$5,
    meta: {
        id: "@secretlint/secretlint-rule-hashicorp-vault",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-hashicorp-vault/README.md",
        },
    },
    create(context, options) {
        const t = context.createTranslator(messages$5);
        const normalizedOptions = {
            allows: options?.allows ?? [],
        };
        const reportMatches = (source, pattern, messageId) => {
            const matches = source.content.matchAll(pattern);
            for (const match of matches) {
                const index = match.index ?? 0;
                const matchString = match[0] ?? "";
                const allowedResults = regexpStringMatcherExports.matchPatterns(matchString, normalizedOptions.allows);
                if (allowedResults.length > 0) {
                    continue;
                }
                const range = [index, index + matchString.length];
                context.report({
                    message: t(messageId, {
                        TOKEN: matchString,
                    }),
                    range,
                });
            }
        };
        return {
            file(source) {
                reportMatches(source, serviceTokenPattern, "HASHICORP_VAULT_SERVICE_TOKEN");
                reportMatches(source, batchTokenPattern, "HASHICORP_VAULT_BATCH_TOKEN");
                reportMatches(source, recoveryTokenPattern, "HASHICORP_VAULT_RECOVERY_TOKEN");
            },
        };
    },
};

const messages$4 = {
    VERCEL_PERSONAL_ACCESS_TOKEN: {
        en: (props) => `found Vercel personal access token: ${props.ID}`,
        ja: (props) => `Vercel personal access token: ${props.ID} がみつかりました`,
    },
    VERCEL_INTEGRATION_TOKEN: {
        en: (props) => `found Vercel integration token: ${props.ID}`,
        ja: (props) => `Vercel integration token: ${props.ID} がみつかりました`,
    },
    VERCEL_APP_ACCESS_TOKEN: {
        en: (props) => `found Vercel app access token: ${props.ID}`,
        ja: (props) => `Vercel app access token: ${props.ID} がみつかりました`,
    },
    VERCEL_APP_REFRESH_TOKEN: {
        en: (props) => `found Vercel app refresh token: ${props.ID}`,
        ja: (props) => `Vercel app refresh token: ${props.ID} がみつかりました`,
    },
    VERCEL_AI_GATEWAY_API_KEY: {
        en: (props) => `found Vercel AI Gateway API key: ${props.ID}`,
        ja: (props) => `Vercel AI Gateway API key: ${props.ID} がみつかりました`,
    },
};
const prefixToMessageId = {
    vcp: "VERCEL_PERSONAL_ACCESS_TOKEN",
    vci: "VERCEL_INTEGRATION_TOKEN",
    vca: "VERCEL_APP_ACCESS_TOKEN",
    vcr: "VERCEL_APP_REFRESH_TOKEN",
    vck: "VERCEL_AI_GATEWAY_API_KEY",
};
const creator$5 = {
    messages: messages$4,
    meta: {
        id: "@secretlint/secretlint-rule-vercel",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-vercel/README.md",
        },
    },
    create(context, options) {
        const t = context.createTranslator(messages$4);
        const normalizedOptions = {
            allows: options?.allows ?? [],
        };
        return {
            file(source) {
                const pattern = /(?<!\p{L})(?<prefix>vcp|vci|vca|vcr|vck)_[A-Za-z0-9]{20,60}(?![A-Za-z0-9])/gu;
                const matches = source.content.matchAll(pattern);
                for (const match of matches) {
                    const index = match.index ?? 0;
                    const matchString = match[0] ?? "";
                    const prefix = match.groups?.prefix;
                    const messageId = prefixToMessageId[prefix];
                    const allowedResults = regexpStringMatcherExports.matchPatterns(matchString, normalizedOptions.allows);
                    if (allowedResults.length > 0) {
                        continue;
                    }
                    const range = [index, index + matchString.length];
                    context.report({
                        message: t(messageId, {
                            ID: matchString,
                        }),
                        range,
                    });
                }
            },
        };
    },
};

const messages$3 = {
    DATABRICKS_PERSONAL_ACCESS_TOKEN: {
        en: (props) => `found Databricks personal access token: ${props.ID}`,
        ja: (props) => `Databricks personal access token: ${props.ID} がみつかりました`,
    },
};
const creator$4 = {
    messages: messages$3,
    meta: {
        id: "@secretlint/secretlint-rule-databricks",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-databricks/README.md",
        },
    },
    create(context, options) {
        const t = context.createTranslator(messages$3);
        const normalizedOptions = {
            allows: options?.allows ?? [],
        };
        return {
            file(source) {
                // Databricks personal access tokens:
                // - Prefix: `dapi`
                // - Body: 32 hexadecimal characters (Databricks issues lowercase,
                //   but match case-insensitively to be lenient)
                // - Optional suffix: `-<single digit>`
                // Reference:
                // - https://docs.databricks.com/aws/en/dev-tools/auth/pat
                // - https://docs.github.com/en/code-security/secret-scanning/secret-scanning-patterns
                const pattern = /(?<!\p{L})dapi[A-Fa-f0-9]{32}(?:-[0-9])?(?![A-Fa-f0-9])/gu;
                const matches = source.content.matchAll(pattern);
                for (const match of matches) {
                    const index = match.index ?? 0;
                    const matchString = match[0] ?? "";
                    const allowedResults = regexpStringMatcherExports.matchPatterns(matchString, normalizedOptions.allows);
                    if (allowedResults.length > 0) {
                        continue;
                    }
                    const range = [index, index + matchString.length];
                    context.report({
                        message: t("DATABRICKS_PERSONAL_ACCESS_TOKEN", {
                            ID: matchString,
                        }),
                        range,
                    });
                }
            },
        };
    },
};

const messages$2 = {
    DOCKER_PERSONAL_ACCESS_TOKEN: {
        en: (props) => `found Docker Personal Access Token: ${props.TOKEN}`,
        ja: (props) => `Docker Personal Access Token: ${props.TOKEN} がみつかりました`,
    },
};
function reportIfFoundDockerPAT({ source, options, context, t, }) {
    // Docker Personal Access Token
    // Prefix: dckr_pat_ followed by exactly 27 alphanumeric, underscore, or hyphen characters
    // Reference: https://docs.docker.com/security/access-tokens/
    // Reference: https://github.com/trufflesecurity/trufflehog/blob/main/pkg/detectors/dockerhub/v2/dockerhub.go
    const DOCKER_PAT_PATTERN = /(?<!\p{L})dckr_pat_[a-zA-Z0-9_-]{27}(?![a-zA-Z0-9_-])/gu;
    const results = source.content.matchAll(DOCKER_PAT_PATTERN);
    for (const result of results) {
        const index = result.index || 0;
        const match = result[0] || "";
        const range = [index, index + match.length];
        const allowedResults = regexpStringMatcherExports.matchPatterns(match, options.allows);
        if (allowedResults.length > 0) {
            continue;
        }
        context.report({
            message: t("DOCKER_PERSONAL_ACCESS_TOKEN", {
                TOKEN: match,
            }),
            range,
        });
    }
}
const creator$3 = {
    messages: messages$2,
    meta: {
        id: "@secretlint/secretlint-rule-docker",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-docker/README.md",
        },
    },
    create(context, options) {
        const t = context.createTranslator(messages$2);
        const normalizedOptions = {
            allows: options.allows || [],
        };
        return {
            file(source) {
                reportIfFoundDockerPAT({ source, options: normalizedOptions, context, t });
            },
        };
    },
};

const messages$1 = {
    FIGMA_PERSONAL_ACCESS_TOKEN: {
        en: (props) => `found Figma Personal Access Token: ${props.ID}`,
        ja: (props) => `Figma Personal Access Token: ${props.ID} がみつかりました`,
    },
};
const creator$2 = {
    messages: messages$1,
    meta: {
        id: "@secretlint/secretlint-rule-figma",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-figma/README.md",
        },
    },
    create(context, options) {
        const t = context.createTranslator(messages$1);
        const normalizedOptions = {
            allows: options?.allows ?? [],
        };
        return {
            file(source) {
                // Figma Personal Access Token
                // Format: `figd_` prefix followed by 40-200 characters of [A-Za-z0-9_-]
                // Reference: https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns
                const pattern = /(?<!\p{L})figd_[A-Za-z0-9_-]{40,200}(?![A-Za-z0-9_-])/gu;
                const matches = source.content.matchAll(pattern);
                for (const match of matches) {
                    const index = match.index ?? 0;
                    const matchString = match[0] ?? "";
                    const allowedResults = regexpStringMatcherExports.matchPatterns(matchString, normalizedOptions.allows);
                    if (allowedResults.length > 0) {
                        continue;
                    }
                    const range = [index, index + matchString.length];
                    context.report({
                        message: t("FIGMA_PERSONAL_ACCESS_TOKEN", {
                            ID: matchString,
                        }),
                        range,
                    });
                }
            },
        };
    },
};

const HTML_COMMENT_REGEXP = /(?<type>secretlint-(?:disable-next-line|disable-line|disable|enable))(?<options>.*)/g;
const parseComments = (source) => {
    const matches = source.content.matchAll(HTML_COMMENT_REGEXP);
    return Array.from(matches).map((match) => {
        const type = match.groups?.type;
        const index = match.index;
        if (type === "secretlint-disable-line") {
            return {
                type: type,
                options: parseComment(match.groups?.options),
                line: source.indexToPosition(index).line
            };
        }
        if (type === "secretlint-disable-next-line") {
            return {
                type: type,
                options: parseComment(match.groups?.options),
                line: source.indexToPosition(index).line + 1
            };
        }
        return {
            type: type,
            options: parseComment(match.groups?.options),
            index: index
        };
    });
};
/**
 * Parses a config of values separated by comma.
 *
 * secretlint-disable a,b,c => ["a", "b", "c"]
 * secretlint-disable -- comment　=> []
 */
function parseComment(options) {
    if (!options) {
        return [];
    }
    const commentStart = options.indexOf("--");
    const ruleIdString = commentStart === -1 ? options : options.slice(0, commentStart);
    return (ruleIdString
        .split(/,/)
        .map((arg) => arg.trim())
        .filter((arg) => arg !== "") ?? []);
}

class CommentState {
    source;
    reportingConfig;
    endIndex;
    constructor(source) {
        this.source = source;
        this.reportingConfig = [];
        this.endIndex = source.content.length;
    }
    getIgnoringMessages() {
        const isFilledMessage = (message) => {
            return message.startIndex !== null && message.endIndex !== null && message.ruleId !== null;
        };
        return this.reportingConfig
            .map((reporting) => {
            if (reporting.endIndex === null) {
                // [start, ?= document-end]
                // filled with document's end
                reporting.endIndex = this.endIndex;
            }
            return reporting;
        })
            .filter(isFilledMessage);
    }
    disableLine(lineNumber, rulesToDisable) {
        const reportingConfig = this.reportingConfig;
        const range = this.source.locationToRange({
            start: {
                line: lineNumber,
                column: 0
            },
            end: {
                line: lineNumber + 1,
                column: 0
            }
        });
        if (rulesToDisable.length) {
            rulesToDisable.forEach((ruleId) => {
                reportingConfig.push({
                    startIndex: range[0],
                    endIndex: range[1] - 1,
                    ruleId: ruleId
                });
            });
        }
        else {
            reportingConfig.push({
                startIndex: range[0],
                endIndex: range[1] - 1,
                ruleId: "*"
            });
        }
    }
    /**
     * Add data to reporting configuration to disable reporting for list of rules
     * starting from start location
     * @returns {void}
     */
    disableReporting(startIndex, rulesToDisable) {
        const reportingConfig = this.reportingConfig;
        if (rulesToDisable.length) {
            rulesToDisable.forEach(function (ruleId) {
                reportingConfig.push({
                    startIndex: startIndex,
                    endIndex: null,
                    ruleId: ruleId
                });
            });
        }
        else {
            reportingConfig.push({
                startIndex: startIndex,
                endIndex: null,
                ruleId: "*"
            });
        }
    }
    /**
     * Add data to reporting configuration to enable reporting for list of rules
     * starting from start location
     */
    enableReporting(endIndex, rulesToEnable) {
        const reportingConfig = this.reportingConfig;
        if (rulesToEnable.length) {
            rulesToEnable.forEach(function (ruleId) {
                for (let i = reportingConfig.length - 1; i >= 0; i--) {
                    if (!reportingConfig[i].endIndex && reportingConfig[i].ruleId === ruleId) {
                        reportingConfig[i].endIndex = endIndex;
                        break;
                    }
                }
            });
        }
        else {
            // find all previous disabled locations if they was started as list of rules
            let prevStart;
            for (let i = reportingConfig.length - 1; i >= 0; i--) {
                if (prevStart && prevStart !== reportingConfig[i].startIndex) {
                    break;
                }
                if (!reportingConfig[i].endIndex) {
                    reportingConfig[i].endIndex = endIndex;
                    prevStart = reportingConfig[i].startIndex;
                }
            }
        }
    }
}

const messages = {
    IGNORE_MESSAGE: {
        en: () => `disable by secretlint-disable comment`
    }
};
const creator$1 = {
    messages,
    meta: {
        id: "@secretlint/secretlint-rule-filter-comments",
        recommended: true,
        type: "scanner",
        supportedContentTypes: ["text"],
        docs: {
            url: "https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-filter-comments/README.md"
        }
    },
    create(context) {
        const t = context.createTranslator(messages);
        return {
            file(source) {
                const state = new CommentState(source);
                const comments = parseComments(source);
                for (const comment of comments) {
                    if (comment.type === "secretlint-disable") {
                        state.disableReporting(comment.index, comment.options);
                    }
                    else if (comment.type === "secretlint-enable") {
                        state.enableReporting(comment.index, comment.options);
                    }
                    else if (comment.type === "secretlint-disable-line") {
                        state.disableLine(comment.line, comment.options);
                    }
                    else if (comment.type === "secretlint-disable-next-line") {
                        state.disableLine(comment.line, comment.options);
                    }
                }
                state.getIgnoringMessages().forEach((message) => {
                    context.ignore({
                        message: t("IGNORE_MESSAGE"),
                        range: [message.startIndex, message.endIndex],
                        targetRuleId: message.ruleId
                    });
                });
            }
        };
    }
};

const rules = [
    creator$p,
    creator$o,
    creator$e,
    creator$n,
    creator$l,
    creator$m,
    creator$d,
    creator$c,
    creator$b,
    creator$a,
    creator$9,
    creator$k,
    creator$j,
    creator$i,
    creator$h,
    creator$g,
    creator$f,
    creator$8,
    creator$7,
    creator$6,
    creator$5,
    creator$4,
    creator$3,
    creator$2,
    creator$1,
];
const creator = {
    meta: {
        id: "@secretlint/secretlint-rule-preset-recommend",
        recommended: true,
        type: "preset",
    },
    rules,
    create(context, _options) {
        rules.forEach((rule) => {
            context.registerRule(rule);
        });
    },
};


//# sourceMappingURL=index.js.map

;// CONCATENATED MODULE: ./build/src/rules/secretlint-sync.js

// filter-comments reads secretlint-disable comments of a real source file; it has nothing to do on literals.
const SCANNERS = rules.filter((r) => r.meta.type === 'scanner' && !r.meta.id.endsWith('filter-comments'));
function translator(messages) {
    return (messageId, props) => {
        const handler = messages[messageId];
        const localized = handler && typeof handler === 'object' ? handler['en'] : handler;
        const message = typeof localized === 'function' ? String(localized(props)) : String(localized ?? messageId);
        return { message, messageId, data: props };
    };
}
/** Scan `content` (text, not a file on disk) with every recommended secretlint scanner. */
function scanForSecrets(content) {
    const found = [];
    const source = {
        content,
        filePath: '',
        ext: '.sql',
        contentType: 'text',
        indexToPosition: () => ({ line: 1, column: 0 }),
        locationToRange: () => [0, 0],
    };
    for (const rule of SCANNERS) {
        const context = {
            sharedOptions: {},
            createTranslator: translator,
            report: (d) => found.push({ ruleId: rule.meta.id, message: d.message.message, start: d.range[0], end: d.range[1] }),
            ignore: () => undefined,
        };
        rule.create(context, {}).file?.(source);
    }
    return found;
}

;// CONCATENATED MODULE: ./build/src/rules/secret-in-migration.js


const secret_in_migration_ID = 'secret-in-migration';
/** Keys and tokens the scanners know are at least this long; skipping shorter literals keeps the scan cheap. */
const MIN_SCAN_LENGTH = 16;
const SECRET_COLUMN = /password|passwd|secret|api_?key|token|private_?key|credential/i;
// Columns whose value is about a secret but is not one (a hash, an expiry, a kind).
const NOT_SECRET_COLUMN = /hash|digest|salt|expires|expiry|_at$|_id$|type|kind|count|length|hint|reset_required|_set$/i;
const HASHED = [/^\$2[abxy]?\$\d\d\$/, /^\$argon2(id|i|d)\$/, /^\$scrypt\$/, /^\$s0\$/, /^\$pbkdf2/, /^pbkdf2_/, /^\$[156]\$/, /^\{(SSHA|SHA|BCRYPT)/i, /^sha(1|256|512)[$:]/i];
const HEX_DIGEST = /^[0-9a-f]{32,}$/i;
// An id that happens to sit in a *_token column (e.g. a user UUID), not a credential.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLACEHOLDER = /^(\$\{.*\}|\{\{.*\}\}|<.*>|%.*%|:\w+|\?|\*+|x+|null|none|todo|tbd|changeme_in_env|)$/i;
/** A redacted form safe to print: a few leading characters and the length, never the whole value. */
function secret_in_migration_redact(secret) {
    const shown = Math.min(4, Math.floor(secret.length / 3));
    return `${secret.slice(0, shown)}… (${secret.length} chars)`;
}
function looksLikePlainSecret(value) {
    const v = value.trim();
    if (v.length < 4 || PLACEHOLDER.test(v))
        return false;
    if (HASHED.some((re) => re.test(v)) || HEX_DIGEST.test(v) || UUID.test(v))
        return false;
    return true;
}
function isSecretColumn(name) {
    return SECRET_COLUMN.test(name) && !NOT_SECRET_COLUMN.test(name);
}
/** Literal assignments to secret-looking columns: INSERT (cols) VALUES (...) and UPDATE ... SET col = '...'. */
function columnSecrets(stmt) {
    const t = stmt.tokens;
    const i = verbIndex(stmt);
    const v = verb(stmt);
    const out = [];
    if (v === 'UPDATE') {
        for (let k = i + 1; k + 2 < t.length; k++) {
            const col = nameOf(t[k]);
            if (col !== undefined && t[k].kind !== 'string' && util_isPunct(t[k + 1], '=') && t[k + 2].kind === 'string' && isSecretColumn(col)) {
                out.push({ column: col, tok: t[k + 2] });
            }
        }
        return out;
    }
    if (v !== 'INSERT' && v !== 'REPLACE')
        return out;
    const into = t.findIndex((tok, k) => k > i && util_isWord(tok, 'INTO'));
    const name = into === -1 ? undefined : readName(t, into + 1);
    if (!name || !util_isPunct(t[name.next], '('))
        return out;
    const columns = [];
    let k = name.next + 1;
    for (; k < t.length && !util_isPunct(t[k], ')'); k++) {
        const col = nameOf(t[k]);
        if (col !== undefined)
            columns.push(col);
    }
    if (!util_isWord(t[k + 1], 'VALUES'))
        return out;
    // Walk each VALUES tuple, counting top-level commas to know which column a literal belongs to.
    let depth = 0;
    let index = 0;
    for (k += 2; k < t.length; k++) {
        const tok = t[k];
        if (util_isPunct(tok, '(')) {
            depth++;
            if (depth === 1)
                index = 0;
        }
        else if (util_isPunct(tok, ')'))
            depth--;
        else if (depth === 1 && util_isPunct(tok, ','))
            index++;
        else if (depth === 1 && tok.kind === 'string' && (util_isPunct(t[k - 1], '(') || util_isPunct(t[k - 1], ',')) && (util_isPunct(t[k + 1], ',') || util_isPunct(t[k + 1], ')'))) {
            const column = columns[index];
            if (column !== undefined && isSecretColumn(column))
                out.push({ column, tok });
        }
        else if (depth === 0 && tok.kind === 'word' && tok.value !== 'VALUES')
            break;
    }
    return out;
}
function checkFile(pm, out) {
    const literals = [];
    for (const stmt of pm.statements) {
        for (const tok of stmt.tokens)
            if (tok.kind === 'string' && tok.value.length >= MIN_SCAN_LENGTH)
                literals.push(tok);
    }
    const reported = new Set();
    if (literals.length > 0) {
        // One scan per file: literal values joined by newlines, mapped back by offset.
        const starts = [];
        let content = '';
        for (const lit of literals) {
            starts.push(content.length);
            content += `${lit.value}\n`;
        }
        for (const m of scanForSecrets(content)) {
            let idx = starts.length - 1;
            while (idx > 0 && starts[idx] > m.start)
                idx--;
            const lit = literals[idx];
            if (reported.has(lit))
                continue;
            reported.add(lit);
            const kind = m.ruleId.replace('@secretlint/secretlint-rule-', '');
            const secret = content.slice(m.start, m.end);
            out.push(findingAt(secret_in_migration_ID, pm, lit, `A string literal contains what looks like a secret (${kind}: ${secret_in_migration_redact(secret)}). Migrations are committed and kept in the database's history: remove it, rotate the secret, and load it at run time from a Worker secret (\`wrangler secret put\`).`));
        }
    }
    for (const stmt of pm.statements) {
        for (const { column, tok } of columnSecrets(stmt)) {
            if (reported.has(tok) || !looksLikePlainSecret(tok.value))
                continue;
            reported.add(tok);
            out.push(findingAt(secret_in_migration_ID, pm, tok, `Column \`${column}\` is set to a plain-text literal (${secret_in_migration_redact(tok.value)}). Do not commit credentials in migrations: store a hash (bcrypt/argon2/scrypt) or set the value at run time from a Worker secret, and rotate this one.`));
        }
    }
}
const secretInMigration = {
    id: secret_in_migration_ID,
    check(ctx) {
        const out = [];
        for (const pm of ctx.migrations)
            checkFile(pm, out);
        return out;
    },
};

;// CONCATENATED MODULE: ./build/src/rules/statement-too-large.js


const statement_too_large_ID = 'statement-too-large';
/** SQLITE_LIMIT_SQL_LENGTH as workerd sets it for D1; SQLite fails with SQLITE_TOOBIG when the SQL is longer. */
const D1_MAX_SQL_BYTES = 100_000;
/** What wrangler appends to each migration before sending it as one request (the bookkeeping row). */
function bookkeepingSuffix(table, name) {
    return `\nINSERT INTO "${table}" (name) values ('${name}');`;
}
function fmt(n) {
    return n.toLocaleString('en-US');
}
const statementTooLarge = {
    id: statement_too_large_ID,
    check(ctx) {
        const out = [];
        for (const pm of ctx.migrations) {
            const sent = external_node_buffer_namespaceObject.Buffer.byteLength(pm.file.sql, 'utf8') + external_node_buffer_namespaceObject.Buffer.byteLength(bookkeepingSuffix(ctx.target.migrationsTable, pm.file.name), 'utf8');
            if (sent > D1_MAX_SQL_BYTES) {
                out.push(findingAt(statement_too_large_ID, pm, { line: 1, column: 1 }, `wrangler sends this migration as one request of ${fmt(sent)} bytes (the file plus its bookkeeping INSERT), over D1's limit of ${fmt(D1_MAX_SQL_BYTES)} bytes: real D1 fails it with "statement too long: SQLITE_TOOBIG" (local D1 accepts it). Split it into several migration files of under ${fmt(D1_MAX_SQL_BYTES)} bytes each.`));
            }
            // Cheap pre-check: a statement cannot be longer than the file it is in.
            if (pm.file.sql.length * 3 <= D1_MAX_SQL_BYTES)
                continue;
            for (const stmt of pm.statements) {
                const bytes = external_node_buffer_namespaceObject.Buffer.byteLength(stmt.text, 'utf8');
                if (bytes <= D1_MAX_SQL_BYTES)
                    continue;
                out.push(findingAt(statement_too_large_ID, pm, stmt, `This single statement is ${fmt(bytes)} bytes, over D1's limit of ${fmt(D1_MAX_SQL_BYTES)} bytes per request, so splitting the file alone will not help: break it into several smaller statements (e.g. one INSERT per batch of rows).`));
            }
        }
        return out;
    },
};

;// CONCATENATED MODULE: ./build/src/rules/transaction-statement.js

const transaction_statement_ID = 'transaction-statement';
const VERBS = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE']);
const D1_ERROR = 'To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements.';
/**
 * Only a statement's verb counts: the BEGIN/END of a trigger body, RAISE(ROLLBACK, ...) and CASE ... END all sit
 * inside a CREATE TRIGGER (or another) statement, never at its start.
 */
const transactionStatement = {
    id: transaction_statement_ID,
    check(ctx) {
        const out = [];
        for (const pm of ctx.migrations) {
            for (const stmt of pm.statements) {
                const v = verb(stmt);
                if (!VERBS.has(v))
                    continue;
                const tok = stmt.tokens[verbIndex(stmt)];
                out.push(findingAt(transaction_statement_ID, pm, tok, `\`${excerpt(stmt)}\`: real D1 rejects transaction statements (BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT, RELEASE) with "${D1_ERROR}" Local wrangler strips one literal \`BEGIN TRANSACTION;\` and one \`COMMIT;\` before running a file, so this can pass with --local and still fail on the real database. D1 already runs each migration file atomically: delete this line.`));
            }
        }
        return out;
    },
};

;// CONCATENATED MODULE: ./build/src/rules/unsupported-statement.js


const unsupported_statement_ID = 'unsupported-statement';
// workerd's authorizer allows only these virtual table modules (SQLITE_CREATE_VTABLE case in sqlite.c++).
const VTABLE_MODULES = new Set(['fts5', 'fts5vocab']);
/** Index of the first top-level `word` at or after `from`, or -1. */
function findWord(tokens, from, upper) {
    let depth = 0;
    for (let i = from; i < tokens.length; i++) {
        const t = tokens[i];
        if (util_isPunct(t, '('))
            depth++;
        else if (util_isPunct(t, ')'))
            depth--;
        else if (depth === 0 && util_isWord(t, upper))
            return i;
    }
    return -1;
}
/** The objects a statement creates, changes or writes: where a reserved `_cf_` name or `temp.` would be rejected. */
function targets(stmt, i) {
    const t = stmt.tokens;
    const out = [];
    const add = (q) => {
        if (q)
            out.push(q);
    };
    switch (verb(stmt)) {
        case 'CREATE': {
            let j = i + 1;
            while (util_isWord(t[j], 'TEMP', 'TEMPORARY', 'UNIQUE', 'VIRTUAL'))
                j++;
            const kind = t[j]?.value;
            const name = readName(t, skipIfExists(t, j + 1));
            add(name);
            if (name && (kind === 'INDEX' || kind === 'TRIGGER')) {
                const on = findWord(t, name.next, 'ON');
                if (on !== -1)
                    add(readName(t, on + 1));
            }
            break;
        }
        case 'ALTER': {
            const name = readName(t, i + 2);
            add(name);
            if (name && util_isWord(t[name.next], 'RENAME') && util_isWord(t[name.next + 1], 'TO'))
                add(readName(t, name.next + 2));
            break;
        }
        case 'DROP':
            add(readName(t, skipIfExists(t, i + 2)));
            break;
        case 'INSERT':
        case 'REPLACE': {
            const into = findWord(t, i, 'INTO');
            if (into !== -1)
                add(readName(t, into + 1));
            break;
        }
        case 'UPDATE':
            add(readName(t, util_isWord(t[i + 1], 'OR') ? i + 3 : i + 1));
            break;
        case 'DELETE':
            add(readName(t, i + 2));
            break;
    }
    return out;
}
function unsupported_statement_checkStatement(pm, stmt, out) {
    const t = stmt.tokens;
    const i = verbIndex(stmt);
    const v = verb(stmt);
    const first = t[i];
    if (v === 'ATTACH' || v === 'DETACH') {
        out.push(findingAt(unsupported_statement_ID, pm, first, `${v} is not supported on D1 (a D1 database can attach no other database). Keep these tables in this database, or use a second D1 binding and query it from your Worker.`));
        return;
    }
    if (v === 'VACUUM') {
        out.push(findingAt(unsupported_statement_ID, pm, first, 'VACUUM is not allowed on D1, which manages storage itself. Remove it.'));
        return;
    }
    if (v === 'CREATE') {
        const temp = util_isWord(t[i + 1], 'TEMP', 'TEMPORARY') ? t[i + 1] : undefined;
        if (temp) {
            out.push(findingAt(unsupported_statement_ID, pm, temp, `CREATE ${temp.text.toUpperCase()} objects are rejected by D1 ("not authorized"). Create a regular table (and DROP it at the end of the migration if it is scratch space).`));
        }
        if (util_isWord(t[i + 1], 'VIRTUAL')) {
            const using = findWord(t, i + 2, 'USING');
            const mod = nameOf(t[using + 1]);
            if (using !== -1 && mod !== undefined && !VTABLE_MODULES.has(mod.toLowerCase())) {
                out.push(findingAt(unsupported_statement_ID, pm, t[using + 1], `Virtual table module \`${mod}\` is not allowed on D1 ("not authorized"); only FTS5 (\`USING fts5\`) virtual tables are. Use FTS5 for full-text search, or a regular table.`));
            }
        }
    }
    for (const q of targets(stmt, i)) {
        if (q.schema !== undefined && q.schema.toLowerCase() === 'temp') {
            out.push(findingAt(unsupported_statement_ID, pm, q.tok, `\`temp.${q.name}\`: D1 does not support the temp schema ("not authorized"). Use a regular table in main.`));
        }
        if (isReservedName(q.name)) {
            out.push(findingAt(unsupported_statement_ID, pm, q.tok, `\`${q.name}\`: names starting with \`_cf_\` (any case) are reserved for Cloudflare, and D1 rejects this statement with "not authorized". Rename the object.`));
        }
    }
}
const unsupportedStatement = {
    id: unsupported_statement_ID,
    check(ctx) {
        const out = [];
        for (const pm of ctx.migrations)
            for (const stmt of pm.statements)
                unsupported_statement_checkStatement(pm, stmt, out);
        return out;
    },
};

;// CONCATENATED MODULE: ./build/src/rules/unsafe-add-column.js

const unsafe_add_column_ID = 'unsafe-add-column';
/**
 * SQLite checks these ADD COLUMN restrictions only against existing rows (sqlite3AlterFinishAddColumn
 * tests "is the table empty?"), so they pass on the empty local database every replay and CI run uses,
 * then fail on production with "Cannot add a NOT NULL column with default value NULL" and friends.
 */
const unsafeAddColumn = {
    id: unsafe_add_column_ID,
    check(ctx) {
        const out = [];
        for (const pm of ctx.migrations) {
            const createdHere = new Set();
            for (const stmt of pm.statements) {
                const t = stmt.tokens;
                const v = verbIndex(stmt);
                if (verb(stmt) === 'CREATE') {
                    let i = v + 1;
                    if (util_isWord(t[i], 'TEMP', 'TEMPORARY'))
                        i++;
                    if (util_isWord(t[i], 'TABLE')) {
                        const name = readName(t, skipIfExists(t, i + 1));
                        if (name)
                            createdHere.add(name.name.toLowerCase());
                    }
                    continue;
                }
                if (verb(stmt) !== 'ALTER' || !util_isWord(t[v + 1], 'TABLE'))
                    continue;
                const table = readName(t, v + 2);
                if (!table || !util_isWord(t[table.next], 'ADD'))
                    continue;
                // A table created earlier in the same file is certainly empty here: the restriction cannot bite.
                if (createdHere.has(table.name.toLowerCase()))
                    continue;
                let i = table.next + 1;
                if (util_isWord(t[i], 'COLUMN'))
                    i++;
                const column = readName(t, i);
                if (!column)
                    continue;
                const problem = columnProblem(t.slice(column.next));
                if (problem) {
                    out.push(findingAt(unsafe_add_column_ID, pm, column.tok, `\`ALTER TABLE ${table.name} ADD COLUMN ${column.name}\` ${problem} SQLite only enforces this when the table has rows, so it passes locally and on an empty database but fails on a real one.`));
                }
            }
        }
        return out;
    },
};
function columnProblem(def) {
    let notNull = false;
    let references = false;
    let defaultTokens;
    let depth = 0;
    for (let i = 0; i < def.length; i++) {
        const tok = def[i];
        if (util_isPunct(tok, '('))
            depth++;
        else if (util_isPunct(tok, ')'))
            depth--;
        if (depth > 0)
            continue;
        if (util_isWord(tok, 'NOT') && util_isWord(def[i + 1], 'NULL'))
            notNull = true;
        else if (util_isWord(tok, 'REFERENCES'))
            references = true;
        else if (util_isWord(tok, 'DEFAULT'))
            defaultTokens = defaultExpression(def, i + 1);
    }
    const isNullDefault = !defaultTokens || (defaultTokens.length === 1 && util_isWord(defaultTokens[0], 'NULL'));
    if (defaultTokens && !isConstant(defaultTokens)) {
        return `has a non-constant default (${defaultTokens.map((x) => x.text).join(' ')}): SQLite rejects it with "Cannot add a column with non-constant default". Add the column with a constant default (or none) and backfill it with UPDATE.`;
    }
    if (notNull && isNullDefault) {
        return 'is NOT NULL without a non-NULL default: SQLite rejects it with "Cannot add a NOT NULL column with default value NULL". Give it a DEFAULT, or add it nullable and backfill.';
    }
    if (references && !isNullDefault) {
        return 'has REFERENCES and a non-NULL default: with foreign keys on (always, on D1) SQLite rejects it with "Cannot add a REFERENCES column with non-NULL default value". Add it with DEFAULT NULL and backfill.';
    }
    return undefined;
}
/** The DEFAULT value: one literal/word, a signed number, or a parenthesised expression. */
function defaultExpression(def, i) {
    const first = def[i];
    if (!first)
        return [];
    if (util_isPunct(first, '(')) {
        let depth = 0;
        for (let j = i; j < def.length; j++) {
            if (util_isPunct(def[j], '('))
                depth++;
            else if (util_isPunct(def[j], ')') && --depth === 0)
                return def.slice(i, j + 1);
        }
        return def.slice(i);
    }
    if ((util_isPunct(first, '-') || util_isPunct(first, '+')) && def[i + 1])
        return [first, def[i + 1]];
    return [first];
}
function isConstant(expr) {
    if (expr.length === 0)
        return true;
    if (expr.some((x) => util_isWord(x, 'CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME')))
        return false;
    // A parenthesised expression is only constant when it holds literals and operators, no function call.
    if (util_isPunct(expr[0], '(')) {
        return !expr.some((x, k) => x.kind === 'word' && util_isPunct(expr[k + 1], '(')) && !expr.some((x) => x.kind === 'word' && !util_isWord(x, 'NULL', 'TRUE', 'FALSE'));
    }
    return true;
}

;// CONCATENATED MODULE: ./build/src/rules/index.js











/** Every rule that needs only the parsed SQL (no database). */
const STATIC_RULES = [
    emptyMigration,
    transactionStatement,
    foreignKeysPragma,
    pragmaNotAllowed,
    unsupportedStatement,
    statementTooLarge,
    postgresSyntax,
    destructiveChange,
    unsafeAddColumn,
    secretInMigration,
];
/**
 * Run the static rules not in `disabled`, drop suppressed findings, and order them by migration (apply
 * order), line and column.
 */
function runStaticRules(ctx, disabled) {
    const findings = checkStaticRules(ctx, disabled);
    const order = new Map();
    ctx.migrations.forEach((pm, i) => order.set(pm.file.relPath, i));
    return applySuppressions(findings, ctx.migrations).sort((a, b) => (order.get(a.file ?? '') ?? -1) - (order.get(b.file ?? '') ?? -1) ||
        (a.line ?? 0) - (b.line ?? 0) ||
        (a.column ?? 0) - (b.column ?? 0));
}
/**
 * The static rules' findings as the rules report them, before suppression and ordering: for the validate
 * phase, which suppresses and orders all of a database's findings (naming, static, replay) in one pass.
 */
function checkStaticRules(ctx, disabled) {
    const findings = [];
    for (const rule of STATIC_RULES) {
        if (disabled.has(rule.id))
            continue;
        for (const f of rule.check(ctx))
            findings.push(f);
    }
    return findings;
}

;// CONCATENATED MODULE: ./build/src/phases/validate.js





/**
 * The validate phase: everything that can be known without a database or credentials — file naming,
 * static SQL rules, and a replay of the whole set on a D1-like SQLite.
 */
async function validateDatabase(target, opts) {
    const set = discoverMigrations(target, opts.cwd);
    const parsed = set.files.map((file) => parseMigration(file));
    const replay = await replayMigrations({
        files: set.files,
        migrationsTable: target.migrationsTable,
        disabled: opts.disabled,
        dataCheck: opts.dataCheck ?? true,
        parsed,
    });
    const all = [
        ...set.findings,
        ...checkFilenames(set.files, opts.numbering),
        ...checkStaticRules({ target, migrations: parsed, numbering: opts.numbering }, opts.disabled),
        ...replay.findings,
    ];
    const findings = split_applySuppressions(all.filter((f) => !opts.disabled.has(f.rule)), parsed);
    return { migrations: set.files, findings: sortFindings(findings, set.files.map((f) => f.relPath)), schema: replay.schema, notes: replay.notes };
}
/** Findings in apply order of their files (set-wide findings first), then by line. */
function sortFindings(findings, fileOrder = []) {
    const rank = new Map(fileOrder.map((f, i) => [f, i]));
    const key = (f) => (f.file === undefined ? -1 : rank.get(f.file) ?? fileOrder.length);
    return [...findings].sort((a, b) => key(a) - key(b) ||
        (a.file ?? '').localeCompare(b.file ?? '') ||
        (a.line ?? 0) - (b.line ?? 0) ||
        (a.column ?? 0) - (b.column ?? 0) ||
        a.rule.localeCompare(b.rule));
}

;// CONCATENATED MODULE: ./build/src/engine.js










/**
 * Runs the chosen phases for every environment (in order) and every selected database. Stops before
 * the next environment once one fails, so `environment: staging, production` never reaches production
 * after a failed staging.
 */
async function runEngine({ options, io, run = {}, env = process.env, signal }) {
    const started = Date.now();
    const wranglerEnv = wranglerEnvironment(options, env);
    const configPath = findConfig(options.cwd, options.config);
    io.debug(`config: ${configPath}`);
    // Resolve every environment up front: a typo in the last environment must fail before the first applies.
    const plan = options.environments.map((environment) => ({
        environment,
        targets: resolveDatabases({
            cwd: options.cwd,
            configPath,
            environment,
            database: options.database,
            migrationsDir: options.migrationsDir,
        }),
    }));
    const databases = [];
    for (let i = 0; i < plan.length; i++) {
        const { environment, targets } = plan[i];
        for (const target of targets) {
            if (signal?.aborted)
                break;
            const title = `${environment ?? 'top level'} · ${target.binding} (${target.databaseName})`;
            const report = await io.group(`d1-migrate: ${title}`, () => processDatabase(target, { options, io, run, env: wranglerEnv, signal }));
            databases.push(report);
        }
        const rest = plan.slice(i + 1).map((p) => p.environment ?? 'top level');
        if (rest.length && databases.some((d) => wouldFail(d, options))) {
            const message = `Stopped after environment "${environment ?? 'top level'}" failed; not processed: ${rest.join(', ')}.`;
            io.warning(message);
            databases[databases.length - 1]?.notes.push(message);
            break;
        }
    }
    if (options.phases.includes('drift')) {
        compareEnvironments(databases);
        for (const d of databases)
            d.status = databaseStatus(d, options);
    }
    return summarise(databases, options, Date.now() - started);
}
async function processDatabase(target, ctx) {
    const { options, io } = ctx;
    const started = Date.now();
    const has = (p) => options.phases.includes(p);
    const report = {
        environment: target.environment,
        binding: target.binding,
        databaseName: target.databaseName,
        migrationsDir: target.migrationsDir,
        migrations: [],
        findings: [],
        status: 'valid',
        notes: [],
        durationMs: 0,
    };
    const phase = { options, target, migrations: [], report, io, run: ctx.run, env: ctx.env, signal: ctx.signal };
    if (has('restore')) {
        await restorePhase(phase);
        return finish(report, started, options);
    }
    // Apply never runs unvalidated: validate is implied by apply (and test). preview, history and drift only
    // need the file list, so they discover without running the rules and the replay.
    if (has('validate') || has('apply') || has('test')) {
        const validated = await validateDatabase(target, {
            cwd: options.cwd,
            numbering: options.numbering,
            disabled: new Set(options.disableRules),
            dataCheck: options.dataCheck,
        });
        phase.migrations = validated.migrations;
        report.findings.push(...validated.findings);
        report.notes.push(...validated.notes);
        report.schema = validated.schema;
        io.info(`validate: ${validated.migrations.length} migrations, ${count(report, 'error')} errors, ${count(report, 'warning')} warnings`);
    }
    else {
        phase.migrations = discoverMigrations(target, options.cwd).files;
    }
    report.migrations = phase.migrations.map((m) => m.name);
    const invalid = report.findings.some((f) => f.severity === 'error');
    if (has('preview') || has('apply'))
        await previewPhase(phase);
    if (has('apply')) {
        if (invalid && options.failMode !== 'warn') {
            report.notes.push('Nothing was applied: validation found errors (fail-mode ' + options.failMode + ').');
        }
        else if (!report.failure) {
            await applyPhase(phase);
        }
    }
    if (has('history') && !(report.failure && report.failure.phase === 'preview'))
        await historyPhase(phase);
    if (has('test') && !ctx.signal?.aborted)
        await testPhase(phase);
    if (has('drift') && !ctx.signal?.aborted && !report.failure)
        await driftPhase(phase);
    return finish(report, started, options);
}
function count(report, severity) {
    return report.findings.filter((f) => f.severity === severity).length;
}
function finish(report, started, options) {
    report.durationMs = Date.now() - started;
    report.status = databaseStatus(report, options);
    return report;
}
/** Status of one database; the phases record facts, this decides what they add up to. */
function databaseStatus(report, options) {
    if (report.failure) {
        if (report.failure.kind === 'not-authorized' && options.failMode === 'skip-unavailable')
            return 'skipped';
        return 'failed';
    }
    if (report.findings.some((f) => f.severity === 'error') && !(report.applied && report.applied.length))
        return 'invalid';
    if (options.phases.includes('apply') && report.pending !== undefined) {
        return report.applied && report.applied.length ? 'applied' : 'up-to-date';
    }
    if (options.phases.includes('restore'))
        return 'applied';
    return report.findings.some((f) => f.severity === 'error') ? 'invalid' : 'valid';
}
/** Whether this database's outcome fails the step under the fail mode. */
function wouldFail(report, options) {
    if (options.failMode === 'warn')
        return false;
    if (report.failure)
        return !(report.failure.kind === 'not-authorized' && options.failMode === 'skip-unavailable');
    return report.findings.some((f) => f.severity === 'error');
}
const STATUS_RANK = ['failed', 'invalid', 'skipped', 'applied', 'up-to-date', 'valid'];
function summarise(databases, options, durationMs) {
    const errors = databases.reduce((n, d) => n + count(d, 'error'), 0);
    const warnings = databases.reduce((n, d) => n + count(d, 'warning'), 0);
    let status = 'valid';
    for (const d of databases)
        if (STATUS_RANK.indexOf(d.status) < STATUS_RANK.indexOf(status))
            status = d.status;
    const failing = databases.filter((d) => wouldFail(d, options));
    let failureMessage;
    if (failing.length) {
        const d = failing[0];
        const where = `${d.environment ?? 'top level'} · ${d.binding}`;
        failureMessage = d.failure
            ? `${where}: ${d.failure.phase} failed (${d.failure.kind}): ${d.failure.message}`
            : `${where}: ${count(d, 'error')} migration error(s) found by validate`;
        if (failing.length > 1)
            failureMessage += ` (and ${failing.length - 1} more database(s))`;
    }
    return { status, errors, warnings, databases, durationMs, failed: failing.length > 0, failureMessage };
}
/** wrangler reads credentials from the environment only; tokens never go on a command line. */
function wranglerEnvironment(options, env) {
    const out = { ...env };
    // wrangler falls back to CLOUDFLARE_ENV when --env is absent; the config was resolved without it, so
    // leaving it set would make wrangler act on another environment than the one validated.
    delete out.CLOUDFLARE_ENV;
    if (options.cloudflareApiToken)
        out.CLOUDFLARE_API_TOKEN = options.cloudflareApiToken;
    if (options.cloudflareAccountId)
        out.CLOUDFLARE_ACCOUNT_ID = options.cloudflareAccountId;
    return out;
}

;// CONCATENATED MODULE: ./build/src/options.js




const INPUT_NAMES = (/* unused pure expression or super */ null && ([
    'working-directory',
    'config',
    'environment',
    'database',
    'migrations-dir',
    'phases',
    'target',
    'fail-mode',
    'numbering',
    'disable-rules',
    'data-check',
    'comment',
    'github-token',
    'cloudflare-api-token',
    'cloudflare-account-id',
    'wrangler',
    'persist-to',
    'rollback-on-failure',
    'bookmark',
    'notify-webhook',
    'report',
    'timeout',
]));
const PHASES = ['validate', 'preview', 'apply', 'history', 'test', 'restore', 'drift'];
const TARGETS = ['remote', 'local'];
const FAIL_MODES = ['strict', 'skip-unavailable', 'warn'];
const NUMBERING = ['sequential', 'unique', 'off'];
const COMMENT = ['auto', 'off'];
const DEFAULT_PHASES = ['validate', 'preview', 'apply', 'history'];
/** CLI flags whose name differs from the action input (args.ts FLAG_TO_INPUT). */
const CLI_FLAG = { 'working-directory': 'cwd', environment: 'env' };
function options_label(name, source) {
    return source === 'cli' ? `--${CLI_FLAG[name] ?? name}` : `input '${name}'`;
}
function oneOf(name, raw, allowed, fallback, source) {
    const value = (raw ?? '').trim();
    if (value === '')
        return fallback;
    const lower = value.toLowerCase();
    if (allowed.includes(lower))
        return lower;
    throw new UsageError(`Invalid ${options_label(name, source)}: "${value}". Allowed values: ${allowed.join(', ')}.`);
}
/** Comma- or newline-separated list; blanks dropped. */
function splitList(raw) {
    return (raw ?? '')
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter((s) => s !== '');
}
function bool(name, raw, source, fallback = false) {
    const value = (raw ?? '').trim().toLowerCase();
    if (value === '')
        return fallback;
    if (['true', 'yes', '1', 'on'].includes(value))
        return true;
    if (['false', 'no', '0', 'off'].includes(value))
        return false;
    throw new UsageError(`Invalid ${options_label(name, source)}: "${raw}". Allowed values: true, false.`);
}
function optional(raw) {
    const value = (raw ?? '').trim();
    return value === '' ? undefined : value;
}
/** The one place inputs are checked: every bad value fails here, before anything runs. */
function parseOptions(raw, opts) {
    const { source } = opts;
    const env = opts.env ?? process.env;
    const cwd = (0,external_node_path_.resolve)(opts.baseDir, optional(raw['working-directory']) ?? '.');
    const phaseList = splitList(raw.phases).map((p) => p.toLowerCase());
    const phases = [];
    for (const p of phaseList.length ? phaseList : DEFAULT_PHASES) {
        if (!PHASES.includes(p)) {
            throw new UsageError(`Invalid ${options_label('phases', source)}: unknown phase "${p}" in "${raw.phases}". Allowed phases: ${PHASES.join(', ')}.`);
        }
        if (!phases.includes(p))
            phases.push(p);
    }
    if (phases.includes('restore') && phases.length > 1) {
        throw new UsageError(`Invalid ${options_label('phases', source)}: "restore" runs alone (got "${phases.join(',')}"). Run restore in its own step.`);
    }
    const bookmark = optional(raw.bookmark);
    if (phases.includes('restore') && !bookmark) {
        throw new UsageError(`The restore phase needs ${options_label('bookmark', source)}: the Time Travel bookmark to restore to (the 'bookmark' output of the run that applied the migrations).`);
    }
    if (bookmark && !/^[A-Za-z0-9-]{1,200}$/.test(bookmark)) {
        throw new UsageError(`Invalid ${options_label('bookmark', source)}: "${bookmark}". A Time Travel bookmark contains only letters, digits and '-'.`);
    }
    const target = oneOf('target', raw.target, TARGETS, 'remote', source);
    const failMode = oneOf('fail-mode', raw['fail-mode'], FAIL_MODES, 'strict', source);
    const numbering = oneOf('numbering', raw.numbering, NUMBERING, 'sequential', source);
    const comment = oneOf('comment', raw.comment, COMMENT, 'auto', source);
    const disableRules = splitList(raw['disable-rules']);
    for (const id of disableRules) {
        if (!RULE_IDS.has(id)) {
            throw new UsageError(`Invalid ${options_label('disable-rules', source)}: unknown rule "${id}". Known rules: ${[...RULE_IDS].join(', ')}.`);
        }
    }
    const envList = splitList(raw.environment);
    for (const e of envList) {
        if (!/^[A-Za-z0-9_-]+$/.test(e)) {
            throw new UsageError(`Invalid ${options_label('environment', source)}: "${e}". An environment name (wrangler --env) contains only letters, digits, '-' and '_'.`);
        }
    }
    const environments = envList.length ? envList : [null];
    const persistTo = optional(raw['persist-to']);
    if (persistTo && target !== 'local') {
        throw new UsageError(`${options_label('persist-to', source)} is only used with target local (got target "${target}").`);
    }
    let timeoutMs = 10 * 60 * 1000;
    const timeoutRaw = optional(raw.timeout);
    if (timeoutRaw) {
        const seconds = Number(timeoutRaw);
        if (!Number.isFinite(seconds) || seconds < 1 || seconds > 6 * 3600) {
            throw new UsageError(`Invalid ${options_label('timeout', source)}: "${timeoutRaw}". Allowed: a number of seconds between 1 and 21600.`);
        }
        timeoutMs = Math.round(seconds * 1000);
    }
    const reportRaw = optional(raw.report);
    const reportPath = reportRaw
        ? (0,external_node_path_.isAbsolute)(reportRaw) ? reportRaw : (0,external_node_path_.resolve)(cwd, reportRaw)
        : source === 'action'
            ? (0,external_node_path_.join)(env.RUNNER_TEMP || (0,external_node_os_namespaceObject.tmpdir)(), `d1-migrate-report-${env.GITHUB_RUN_ID ?? process.pid}-${env.GITHUB_ACTION ?? 'step'}.json`)
            : undefined;
    return {
        cwd,
        config: optional(raw.config),
        environments,
        database: optional(raw.database),
        migrationsDir: optional(raw['migrations-dir']),
        phases,
        target,
        failMode,
        numbering,
        disableRules,
        comment,
        githubToken: optional(raw['github-token']),
        cloudflareApiToken: optional(raw['cloudflare-api-token']),
        cloudflareAccountId: optional(raw['cloudflare-account-id']),
        wrangler: optional(raw.wrangler),
        persistTo,
        rollbackOnFailure: bool('rollback-on-failure', raw['rollback-on-failure'], source),
        dataCheck: bool('data-check', raw['data-check'], source, true),
        bookmark,
        notifyWebhook: optional(raw['notify-webhook']),
        reportPath,
        timeoutMs,
    };
}

;// CONCATENATED MODULE: ./build/src/report/annotations.js
/** GitHub keeps only the first 10 error and 10 warning annotations per step; the summary lists the rest. */
const ANNOTATION_LIMIT = 10;
/**
 * One annotation per finding, title = rule id, pointing at file and line. Under `fail-mode: warn`
 * errors are shown as warnings: the run reports everything but must not look failed.
 */
function annotationsFor(report, failMode) {
    const out = [];
    for (const db of report.databases) {
        const where = db.environment ? ` [${db.environment}/${db.binding}]` : report.databases.length > 1 ? ` [${db.binding}]` : '';
        for (const f of db.findings)
            out.push(toAnnotation(f, failMode, where));
    }
    return dedupe(out);
}
function toAnnotation(f, failMode, where) {
    return {
        level: failMode === 'warn' ? 'warning' : f.severity,
        title: f.rule,
        message: `${f.message}${where}`,
        file: f.file,
        startLine: f.line,
        startColumn: f.line !== undefined ? f.column : undefined,
    };
}
/** The same file checked for several environments gives the same finding: annotate it once. */
function dedupe(list) {
    const seen = new Set();
    return list.filter((a) => {
        const key = `${a.level}|${a.title}|${a.file}|${a.startLine}|${a.message.replace(/ \[[^\]]*\]$/, '')}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    });
}
/** `::error file=...::msg` workflow commands, for the CLI's `--format github`. */
function workflowCommand(a) {
    const props = [];
    if (a.file)
        props.push(`file=${escapeProperty(a.file)}`);
    if (a.startLine)
        props.push(`line=${a.startLine}`);
    if (a.startColumn)
        props.push(`col=${a.startColumn}`);
    props.push(`title=${escapeProperty(a.title)}`);
    return `::${a.level} ${props.join(',')}::${escapeData(a.message)}`;
}
function escapeData(s) {
    return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

;// CONCATENATED MODULE: ./build/src/report/json.js
/**
 * The CLI's `--format json` document and the action's report file. The validate fields keep the
 * documented shape; phases that ran add their own fields, so one parser reads every command's output.
 */
function toJson(report, opts) {
    return {
        status: opts.validateOnly ? (report.errors > 0 ? 'invalid' : 'valid') : report.status,
        errors: report.errors,
        warnings: report.warnings,
        ...(opts.validateOnly ? {} : { failed: report.failed, failureMessage: report.failureMessage, durationMs: report.durationMs }),
        databases: report.databases.map((d) => databaseJson(d, opts.validateOnly)),
    };
}
function databaseJson(d, validateOnly) {
    const base = {
        environment: d.environment,
        binding: d.binding,
        databaseName: d.databaseName,
        migrationsDir: d.migrationsDir,
        migrations: d.migrations,
        findings: d.findings.map((f) => ({
            rule: f.rule,
            severity: f.severity,
            file: f.file ?? null,
            line: f.line ?? null,
            ...(f.column !== undefined ? { column: f.column } : {}),
            message: f.message,
        })),
    };
    if (validateOnly)
        return base;
    return {
        ...base,
        status: d.status,
        pending: d.pending ?? null,
        applied: d.applied ?? null,
        failed: d.failed ?? null,
        notAttempted: d.notAttempted ?? null,
        history: d.history ?? null,
        bookmark: d.bookmark ?? null,
        failure: d.failure ?? null,
        timings: d.timings ?? null,
        schema: d.schema ?? null,
        notes: d.notes,
        durationMs: d.durationMs,
    };
}

;// CONCATENATED MODULE: ./build/src/report/text.js
/** Compiler-style lines for people: `path:line:col: error [rule] message`, coloured on a TTY. */
function toText(report, opts) {
    const c = (code, s) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
    const lines = [];
    for (const d of report.databases) {
        const env = d.environment ? `${d.environment} · ` : '';
        lines.push(c('1', `${env}${d.binding} (${d.databaseName}) — ${d.migrations.length} migrations in ${d.migrationsDir}`));
        for (const f of d.findings) {
            const loc = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}${f.line && f.column ? `:${f.column}` : ''}: ` : '';
            const sev = f.severity === 'error' ? c('31', 'error') : c('33', 'warning');
            lines.push(`${loc}${sev} ${c('2', `[${f.rule}]`)} ${f.message}`);
        }
        if (!opts.validateOnly) {
            if (d.pending)
                lines.push(`  pending: ${d.pending.length ? d.pending.join(', ') : 'none'}`);
            if (d.applied)
                lines.push(`  applied: ${d.applied.length ? d.applied.join(', ') : 'none'}`);
            if (d.failed)
                lines.push(c('31', `  failed: ${d.failed.name}: ${d.failed.message}`));
            if (d.notAttempted?.length)
                lines.push(`  not attempted: ${d.notAttempted.join(', ')}`);
            if (d.history)
                lines.push(`  history: ${d.history.length} applied migration(s)`);
            if (d.bookmark)
                lines.push(`  bookmark: ${d.bookmark}`);
            if (d.schema && d.schema.length)
                lines.push(`  schema: ${d.schema.filter((o) => o.type === 'table').map((o) => o.name).join(', ')}`);
            if (d.failure)
                lines.push(c('31', `  ${d.failure.phase} failed (${d.failure.kind}): ${d.failure.message}`));
            lines.push(`  status: ${d.status}`);
        }
        for (const n of d.notes)
            lines.push(c('2', `  note: ${n}`));
    }
    const verdict = opts.validateOnly ? (report.errors ? 'invalid' : 'valid') : report.status;
    const colour = report.failed || report.errors ? '31' : report.warnings ? '33' : '32';
    lines.push(c(colour, `${verdict}: ${report.errors} error(s), ${report.warnings} warning(s) in ${report.databases.length} database(s)`));
    if (report.failureMessage)
        lines.push(c('31', report.failureMessage));
    return lines.join('\n') + '\n';
}

;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: ./build/src/cli/args.js


const COMMANDS = ['validate', 'preview', 'apply', 'history', 'run', 'restore', 'test', 'drift', 'rules', 'new', 'help'];
/** Flags mirror the action's inputs one to one, so a CI step and a laptop run read the same. */
const FLAG_TO_INPUT = {
    cwd: 'working-directory',
    config: 'config',
    env: 'environment',
    database: 'database',
    'migrations-dir': 'migrations-dir',
    phases: 'phases',
    target: 'target',
    'fail-mode': 'fail-mode',
    numbering: 'numbering',
    'disable-rules': 'disable-rules',
    wrangler: 'wrangler',
    'persist-to': 'persist-to',
    bookmark: 'bookmark',
    report: 'report',
    timeout: 'timeout',
};
function parseCli(argv) {
    const [first, ...rest] = argv;
    if (!first || first === '--help' || first === '-h')
        return { command: 'help', raw: {}, format: 'text', verbose: false, positionals: [] };
    if (!COMMANDS.includes(first)) {
        throw new UsageError(`Unknown command "${first}". Commands: ${COMMANDS.join(', ')}.`);
    }
    const options = {
        format: { type: 'string' },
        verbose: { type: 'boolean', short: 'v' },
        'rollback-on-failure': { type: 'boolean' },
        'no-data-check': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
    };
    for (const flag of Object.keys(FLAG_TO_INPUT))
        options[flag] = { type: 'string', multiple: flag === 'env' };
    let parsed;
    try {
        parsed = (0,external_node_util_namespaceObject.parseArgs)({ args: rest, options, allowPositionals: true, strict: true });
    }
    catch (error) {
        throw new UsageError(`${error.message}. Run "d1-migrate help" for the flags.`);
    }
    const values = parsed.values;
    if (values.help)
        return { command: 'help', raw: {}, format: 'text', verbose: false, positionals: [] };
    const raw = {};
    for (const [flag, input] of Object.entries(FLAG_TO_INPUT)) {
        const v = values[flag];
        if (v === undefined)
            continue;
        raw[input] = Array.isArray(v) ? v.join(',') : String(v);
    }
    if (values['rollback-on-failure'])
        raw['rollback-on-failure'] = 'true';
    if (values['no-data-check'])
        raw['data-check'] = 'false';
    const format = values.format ?? 'text';
    if (!['text', 'json', 'github'].includes(format)) {
        throw new UsageError(`Invalid --format: "${format}". Allowed values: text, json, github.`);
    }
    return { command: first, raw, format: format, verbose: Boolean(values.verbose), positionals: parsed.positionals };
}
const HELP = `d1-migrate — validate, preview, apply and audit Cloudflare D1 migrations (the engine of d1-migrate-action)

Usage: d1-migrate <command> [flags]

Commands:
  validate   check migration files: naming, SQL rules, replay on a D1-like SQLite (no network, no credentials)
  preview    list applied and pending migrations of the target database
  apply      validate, then apply pending migrations with wrangler
  history    show the migrations ledger
  run        the action's job: validate, preview, apply, history (or --phases)
  test       apply everything to a throw-away local D1 and list the schema
  restore    restore a remote database to a Time Travel --bookmark
  rules      list every rule id, severity and rationale
  new        create the next migration file: d1-migrate new "add jobs table"

Flags (same meaning as the action inputs):
  --cwd DIR               working directory (default .)
  --config FILE           wrangler.json|jsonc|toml (default: found the way wrangler finds it)
  --env NAME[,NAME]       wrangler environment(s), processed in order
  --database NAME|all     binding or database_name (default: the only D1 binding)
  --migrations-dir DIR    override migrations_dir
  --target local|remote   CLI default: local (safe on a laptop); the action defaults to remote
  --fail-mode MODE        strict | skip-unavailable | warn
  --numbering MODE        sequential | unique | off
  --disable-rules a,b     rule ids to turn off
  --no-data-check         skip running each migration on synthetic rows (rows-lost, fails-with-data)
  --phases a,b            for run: validate,preview,apply,history,test
  --persist-to DIR        local D1 state directory (target local)
  --wrangler CMD          how to run wrangler (default: the project's, else npx wrangler@4)
  --bookmark ID           for restore
  --rollback-on-failure   restore the Time Travel bookmark when apply fails midway
  --report FILE           also write the JSON report to FILE
  --timeout SECONDS       per wrangler call (default 600)
  --format text|json|github
  -v, --verbose

Exit status: 0 no errors, 1 errors found or a phase failed, 2 usage or config error.
`;

;// CONCATENATED MODULE: ./build/src/cli/new-migration.js





/**
 * `d1-migrate new "add jobs table"`: the next file named the way `wrangler d1 migrations create` names
 * it (`0002_add_jobs_table.sql`), keeping the folder's own style (padding, or timestamps).
 */
function newMigration(args) {
    const description = args.description.trim();
    if (!description)
        throw new UsageError('d1-migrate new needs a description, e.g. d1-migrate new "add jobs table".');
    if (!/^[\p{L}\p{N} _-]+$/u.test(description)) {
        throw new UsageError(`Invalid migration description "${description}": use letters, digits, spaces, '-' and '_' only (it becomes the file name).`);
    }
    const cwd = (0,external_node_path_.resolve)(args.baseDir, args.raw['working-directory'] || '.');
    const configPath = findConfig(cwd, args.raw.config || undefined);
    const environment = args.raw.environment?.split(',')[0]?.trim() || null;
    // The same resolution validate uses (config, override, inside the working directory); only a folder that
    // does not exist yet is accepted, since creating the first migration creates it.
    const [target] = resolveDatabases({
        cwd,
        configPath,
        environment,
        database: args.raw.database || undefined,
        migrationsDir: args.raw['migrations-dir'] || undefined,
        allowMissingDir: true,
    });
    const dir = target.migrationsDirAbs;
    (0,external_node_fs_.mkdirSync)(dir, { recursive: true });
    const existing = (0,external_node_fs_.readdirSync)(dir).filter((n) => n.endsWith('.sql'));
    const number = nextNumber(existing, args.now ?? new Date());
    const slug = description.replace(/ /g, '_');
    const name = `${number}_${slug}.sql`;
    const clash = existing.find((n) => n.split('_')[0] === number || n === name);
    if (clash)
        throw new UsageError(`Refusing to create ${name}: ${clash} already uses number ${number}.`);
    const path = (0,external_node_path_.join)(dir, name);
    if ((0,external_node_fs_.existsSync)(path))
        throw new UsageError(`Refusing to overwrite ${path}.`);
    (0,external_node_fs_.writeFileSync)(path, `-- Migration number: ${number} \t ${(args.now ?? new Date()).toISOString()}\n` +
        `-- ${description}\n` +
        `-- D1 runs this whole file atomically: do not add BEGIN/COMMIT. Foreign keys are always enforced;\n` +
        `-- use PRAGMA defer_foreign_keys = on for table rebuilds (see docs/migration-guide.md).\n`);
    return { file: (0,external_node_path_.relative)(cwd, path).split('\\').join('/'), name, number };
}
/** Same width as the folder uses (default 4 like wrangler); timestamps when the folder uses them. */
function nextNumber(existing, now) {
    const numbers = existing.map((n) => /^(\d+)_/.exec(n)?.[1]).filter((n) => Boolean(n));
    const timestampStyle = numbers.length > 0 && numbers.filter((n) => n.length >= 12).length * 2 > numbers.length;
    if (timestampStyle) {
        const width = Math.max(...numbers.map((n) => n.length));
        const stamp = now.toISOString().replace(/\D/g, '').slice(0, width);
        const max = numbers.map((n) => BigInt(n)).reduce((a, b) => (a > b ? a : b), 0n);
        const candidate = BigInt(stamp) > max ? BigInt(stamp) : max + 1n;
        return candidate.toString().padStart(width, '0');
    }
    const width = numbers.length ? Math.max(4, ...numbers.map((n) => n.length)) : 4;
    const max = numbers.reduce((m, n) => Math.max(m, parseInt(n, 10)), 0);
    return String(max + 1).padStart(width, '0');
}

;// CONCATENATED MODULE: ./build/src/cli/main.js











const COMMAND_PHASES = {
    validate: ['validate'],
    preview: ['preview'],
    apply: ['apply'],
    history: ['history'],
    test: ['validate', 'test'],
    restore: ['restore'],
    drift: ['drift'],
};
/** Runs one CLI command; returns the exit status (0 ok, 1 findings/failure, 2 usage or config error). */
async function main_main(argv, baseDir, out = process.stdout, err = process.stderr) {
    try {
        const args = parseCli(argv);
        if (args.command === 'help') {
            out.write(HELP);
            return 0;
        }
        if (args.command === 'rules') {
            out.write(args.format === 'json' ? JSON.stringify(RULES.map((r) => ({ ...r, docs: ruleDocsUrl(r.id) })), null, 2) + '\n' : rulesText());
            return 0;
        }
        if (args.command === 'new') {
            const created = newMigration({ raw: args.raw, baseDir, description: args.positionals.join(' ') });
            out.write(args.format === 'json' ? JSON.stringify(created) + '\n' : `created ${created.file}\n`);
            return 0;
        }
        const raw = { ...args.raw };
        if (!raw.target)
            raw.target = 'local';
        if (args.command !== 'run') {
            if (raw.phases)
                throw new UsageError(`--phases is only for "run"; "${args.command}" runs its own phase.`);
            raw.phases = COMMAND_PHASES[args.command].join(',');
        }
        const options = parseOptions(raw, { baseDir, source: 'cli' });
        const io = {
            info: (m) => (args.verbose ? err.write(m + '\n') : undefined),
            warning: (m) => err.write(`warning: ${m}\n`),
            debug: (m) => (args.verbose ? err.write(m + '\n') : undefined),
            group: async (name, fn) => {
                if (args.verbose)
                    err.write(`── ${name}\n`);
                return fn();
            },
        };
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        let report;
        try {
            report = await runEngine({ options, io, signal: controller.signal });
        }
        finally {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
        }
        const validateOnly = args.command === 'validate';
        if (options.reportPath) {
            try {
                (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(options.reportPath), { recursive: true });
                (0,external_node_fs_.writeFileSync)(options.reportPath, JSON.stringify(toJson(report, { validateOnly: false }), null, 2) + '\n');
            }
            catch (error) {
                throw new UsageError(`--report: cannot write the JSON report to "${args.raw.report}" (${options.reportPath}): ${getErrorMessage(error)}. Set --report to a writable file path.`);
            }
        }
        if (args.format === 'json')
            out.write(JSON.stringify(toJson(report, { validateOnly })) + '\n');
        else if (args.format === 'github')
            for (const a of annotationsFor(report, options.failMode))
                out.write(workflowCommand(a) + '\n');
        else
            out.write(toText(report, { color: Boolean(out.isTTY) && !process.env.NO_COLOR, validateOnly }));
        return report.failed ? 1 : 0;
    }
    catch (error) {
        err.write(`d1-migrate: ${getErrorMessage(error)}\n`);
        return 2;
    }
}
function rulesText() {
    const width = Math.max(...RULES.map((r) => r.id.length));
    return RULES.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.summary}\n${' '.repeat(width + 11)}${ruleDocsUrl(r.id)}`).join('\n') + '\n';
}


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(708);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
