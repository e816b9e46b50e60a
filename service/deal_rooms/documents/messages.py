"""The data room's ja/en messages (see :mod:`service.messages`)."""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "deal_room_documents",
    {
        "deal_room_document.folder_not_found": Text(ja="フォルダが見つかりません。", en="Folder not found."),
        "deal_room_document.not_found": Text(ja="資料が見つかりません。", en="Document not found."),
        "deal_room_document.version_not_found": Text(
            ja="資料の第{version}版はありません。", en="The document has no version {version}."
        ),
        "deal_room_document.parent_not_found": Text(
            ja="親フォルダがこのルームにありません。", en="The parent folder is not in this room."
        ),
        "deal_room_document.folder_cycle": Text(
            ja="フォルダを自身またはその下のフォルダへは移せません。",
            en="A folder cannot move into itself or into one of its sub-folders.",
        ),
        "deal_room_document.folder_not_empty": Text(
            ja="空でないフォルダは削除できません（サブフォルダ {folders} 件、資料 {documents} 件）。",
            en="Only an empty folder can be deleted (it holds {folders} sub-folders and {documents} documents).",
        ),
        "deal_room_document.nothing_to_change": Text(
            ja="name と parent_id のどちらかを指定してください。", en="Send name, parent_id or both."
        ),
        "deal_room_document.no_download": Text(
            ja="この資料は閲覧のみ許可されており、ダウンロードはできません。",
            en="This document may be viewed but not downloaded.",
        ),
        "deal_room_document.page_out_of_range": Text(
            ja="この版のページは 1〜{pages} です。", en="This version has pages 1 to {pages}."
        ),
        "deal_room_document.empty": Text(ja="空のファイルはアップロードできません。", en="The file is empty."),
        "deal_room_document.missing_file": Text(
            ja="multipart の 'file' パートでファイルを送ってください。",
            en="Send the file as the multipart part 'file'.",
        ),
        "deal_room_document.bad_filename": Text(
            ja="ファイル名に制御文字は使えません。", en="The file name contains control characters."
        ),
        "deal_room_document.too_large": Text(
            ja="ファイルが大きすぎます（上限 {limit} バイト）。", en="The file is too large (limit: {limit} bytes)."
        ),
        "deal_room_document.unsupported_type": Text(
            ja="この形式のファイルは受け付けません（内容から判定: {content}）。受け付ける形式: {allowed}。",
            en="Files of this kind are not accepted (judged by content: {content}). Accepted: {allowed}.",
        ),
        "deal_room_document.unsupported_type#unknown": Text(ja="不明", en="unknown"),
        "deal_room_document.unreadable_pdf": Text(
            ja="PDF を読み取れません（破損または暗号化されています）。",
            en="The PDF cannot be read (it is damaged or encrypted).",
        ),
        "deal_room_document.integrity_failed": Text(
            ja="保存された資料ファイルが記録と一致しません。",
            en="The stored document file does not match its recorded sha256.",
        ),
        "deal_room_document.watermark": Text(
            ja="{name}（{organisation}）{time} 閲覧用・複製禁止", en="{name} ({organisation}) {time} — do not copy"
        ),
    },
)
