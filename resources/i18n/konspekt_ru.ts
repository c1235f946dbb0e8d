<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>AdminView</name>
    <message>
        <location filename="../../desktop/views/admin.py" line="140"/>
        <source>Temporary password for {name}: {password}
They must change it when they log in.</source>
        <translation>Временный пароль для {name}: {password}
При входе его нужно будет сменить.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="151"/>
        <source>Invite code (valid 7 days, one use): {code}</source>
        <translation>Код приглашения (действует 7 дней, один раз): {code}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="196"/>
        <source>New group</source>
        <translation>Новая группа</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="196"/>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="210"/>
        <source>Add member</source>
        <translation>Добавить участника</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="210"/>
        <source>Username</source>
        <translation>Имя пользователя</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="250"/>
        <source>Intact: {count} entries, head {head}</source>
        <translation>Цепочка цела: записей {count}, вершина {head}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="254"/>
        <source>Altered: entry {id} or one before it was changed or removed.</source>
        <translation>Журнал изменён: запись {id} или одна из предыдущих изменена или удалена.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="279"/>
        <source>Konspekt</source>
        <translation>Конспект</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="293"/>
        <location filename="../../desktop/views/admin.py" line="324"/>
        <source>Users</source>
        <translation>Пользователи</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="294"/>
        <source>Groups</source>
        <translation>Группы</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="295"/>
        <location filename="../../desktop/views/admin.py" line="325"/>
        <source>Audit log</source>
        <translation>Журнал аудита</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="296"/>
        <source>Maintenance</source>
        <translation>Обслуживание</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="297"/>
        <source>Usage</source>
        <translation>Использование</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="306"/>
        <source>Role</source>
        <translation>Роль</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="308"/>
        <source>Approve as</source>
        <translation>Одобрить как</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="309"/>
        <source>Set role</source>
        <translation>Назначить роль</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="310"/>
        <source>Reset password</source>
        <translation>Сбросить пароль</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="311"/>
        <source>Disable</source>
        <translation>Отключить</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="312"/>
        <source>Enable</source>
        <translation>Включить</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="313"/>
        <source>Invite code</source>
        <translation>Код приглашения</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="318"/>
        <source>New group…</source>
        <translation>Новая группа…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="319"/>
        <source>Add member…</source>
        <translation>Добавить участника…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="320"/>
        <source>Remove member</source>
        <translation>Убрать участника</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin.py" line="323"/>
        <source>Verify the chain</source>
        <translation>Проверить цепочку</translation>
    </message>
</context>
<context>
    <name>AnswerStream</name>
    <message>
        <location filename="../../desktop/views/answer_stream.py" line="67"/>
        <source>Searching the documents…</source>
        <translation>Поиск по документам…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/answer_stream.py" line="85"/>
        <source>Team server: {url}</source>
        <translation>Командный сервер: {url}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/answer_stream.py" line="89"/>
        <source>Writing the answer…</source>
        <translation>Пишу ответ…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/answer_stream.py" line="99"/>
        <source>Demo model — this answer is likely wrong. </source>
        <translation>Демо-модель — этот ответ, скорее всего, неверен. </translation>
    </message>
    <message>
        <location filename="../../desktop/views/answer_stream.py" line="103"/>
        <source>Waiting for the model: number {position} in the queue…</source>
        <translation>Ожидание модели: номер в очереди — {position}…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/answer_stream.py" line="112"/>
        <source>Nothing relevant was found; the model was not asked.</source>
        <translation>Ничего подходящего не найдено; модель не запускалась.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/answer_stream.py" line="113"/>
        <source>{seconds:.1f} s, {tokens} tokens, {rate:.1f} tokens/s</source>
        <translation>{seconds:.1f} с, токенов: {tokens}, {rate:.1f} ток/с</translation>
    </message>
    <message>
        <location filename="../../desktop/views/answer_stream.py" line="117"/>
        <source>; remembered {notes} note(s) from earlier sessions</source>
        <translation>; учтено заметок о прошлых сеансах: {notes}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/answer_stream.py" line="120"/>
        <source>Stopped. </source>
        <translation>Остановлено. </translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <location filename="../../desktop/app.py" line="122"/>
        <location filename="../../desktop/app.py" line="135"/>
        <location filename="../../desktop/app.py" line="145"/>
        <source>Konspekt</source>
        <translation>Конспект</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="126"/>
        <source>Protect the database key with a passphrase instead? You will type it at every start.</source>
        <translation>Защитить ключ базы парольной фразой? Её нужно будет вводить при каждом запуске.</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="136"/>
        <source>Passphrase of the database key</source>
        <translation>Парольная фраза ключа базы</translation>
    </message>
</context>
<context>
    <name>AssistantDialog</name>
    <message>
        <location filename="../../desktop/views/assistant.py" line="59"/>
        <source>Assistant of “{name}”</source>
        <translation>Ассистент базы «{name}»</translation>
    </message>
    <message>
        <location filename="../../desktop/views/assistant.py" line="64"/>
        <source>One line shown in the knowledge-base picker</source>
        <translation>Одна строка, видимая при выборе базы знаний</translation>
    </message>
    <message>
        <location filename="../../desktop/views/assistant.py" line="68"/>
        <source>e.g. Answer formally, in Russian, as numbered steps.</source>
        <translation>например: Отвечай официально, по-русски, нумерованными шагами.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/assistant.py" line="86"/>
        <source>Description</source>
        <translation>Описание</translation>
    </message>
    <message>
        <location filename="../../desktop/views/assistant.py" line="87"/>
        <source>Instructions</source>
        <translation>Инструкции</translation>
    </message>
    <message>
        <location filename="../../desktop/views/assistant.py" line="88"/>
        <source>Temperature</source>
        <translation>Температура</translation>
    </message>
    <message>
        <location filename="../../desktop/views/assistant.py" line="89"/>
        <source>Answer length (tokens)</source>
        <translation>Длина ответа (токенов)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/assistant.py" line="90"/>
        <source>Passages per answer</source>
        <translation>Фрагментов на ответ</translation>
    </message>
    <message>
        <location filename="../../desktop/views/assistant.py" line="104"/>
        <source>Default ({value})</source>
        <translation>По умолчанию ({value})</translation>
    </message>
    <message>
        <location filename="../../desktop/views/assistant.py" line="139"/>
        <source>Only those who can change this knowledge base can change its assistant.</source>
        <translation>Изменять ассистента могут только те, кто может изменять эту базу знаний.</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <location filename="../../desktop/itemmodels/audit.py" line="18"/>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/audit.py" line="19"/>
        <source>User</source>
        <translation>Пользователь</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/audit.py" line="20"/>
        <source>Action</source>
        <translation>Действие</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/audit.py" line="21"/>
        <source>Target</source>
        <translation>Объект</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/audit.py" line="22"/>
        <source>Details</source>
        <translation>Подробности</translation>
    </message>
</context>
<context>
    <name>BundleBar</name>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="177"/>
        <source>Export as bundle…</source>
        <translation>Экспортировать пакет…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="180"/>
        <source>Import bundle…</source>
        <translation>Импортировать пакет…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="199"/>
        <source>Write this knowledge base, encrypted, to one file for another computer</source>
        <translation>Записать эту базу знаний в один зашифрованный файл для другого компьютера</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="201"/>
        <source>Add a knowledge base from a bundle file</source>
        <translation>Добавить базу знаний из файла пакета</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="209"/>
        <source>Export as bundle</source>
        <translation>Экспорт в пакет</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="211"/>
        <source>Konspekt bundles (*.kbundle)</source>
        <translation>Пакеты Konspekt (*.kbundle)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="221"/>
        <source>Import bundle</source>
        <translation>Импорт пакета</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="223"/>
        <source>Konspekt bundles (*.kbundle);;All files (*)</source>
        <translation>Пакеты Konspekt (*.kbundle);;Все файлы (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="236"/>
        <source>Exporting “{name}”…</source>
        <translation>Экспорт «{name}»…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="245"/>
        <source>Importing {file}…</source>
        <translation>Импорт {file}…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="254"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="256"/>
        <source>Knowledge-base bundle</source>
        <translation>Пакет базы знаний</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="283"/>
        <source>“{name}” ({count} documents) written to {path}.</source>
        <translation>«{name}» (документов: {count}) записана в {path}.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="286"/>
        <source>Bundle exported</source>
        <translation>Пакет экспортирован</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="288"/>
        <source>Imported as “{name}”: {count} documents.</source>
        <translation>Импортировано как «{name}»: документов — {count}.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="292"/>
        <source>Its passages were re-embedded for this computer&apos;s search.</source>
        <translation>Его фрагменты заново векторизованы для поиска на этом компьютере.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="294"/>
        <source>Bundle imported</source>
        <translation>Пакет импортирован</translation>
    </message>
</context>
<context>
    <name>ChatAttachments</name>
    <message>
        <location filename="../../desktop/views/chat_attachments.py" line="41"/>
        <source>Attaching {count} file(s)…</source>
        <translation>Прикрепляю файлы: {count}…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat_attachments.py" line="64"/>
        <source>Attached {name}: you can ask about it now.</source>
        <translation>Файл {name} прикреплён: теперь о нём можно спросить.</translation>
    </message>
</context>
<context>
    <name>ChatExporter</name>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="77"/>
        <source>Export as Markdown…</source>
        <translation>Экспорт в Markdown…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="78"/>
        <source>Export as PDF…</source>
        <translation>Экспорт в PDF…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="103"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="103"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="105"/>
        <source>Export chat</source>
        <translation>Экспорт чата</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="113"/>
        <source>Chat exported</source>
        <translation>Чат экспортирован</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="114"/>
        <source>Written to {path}. The file is not encrypted: keep it safe.</source>
        <translation>Записано в {path}. Файл не зашифрован: храните его бережно.</translation>
    </message>
</context>
<context>
    <name>ChatFindBox</name>
    <message>
        <location filename="../../desktop/views/chat_find.py" line="30"/>
        <source>Find in this chat (Enter: next)</source>
        <translation>Найти в этом чате (Enter — следующее)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat_find.py" line="31"/>
        <source>Find in this chat</source>
        <translation>Найти в этом чате</translation>
    </message>
</context>
<context>
    <name>ChatListModel</name>
    <message>
        <location filename="../../desktop/itemmodels/chats.py" line="17"/>
        <source>Chat</source>
        <translation>Чат</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/chats.py" line="20"/>
        <source>New chat</source>
        <translation>Новый чат</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/chats.py" line="25"/>
        <source>{count} messages, last {when}</source>
        <translation>Сообщений: {count}, последнее {when}</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../desktop/views/chat.py" line="177"/>
        <source>New chat</source>
        <translation>Новый чат</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="178"/>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>Начать новый разговор (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="179"/>
        <source>Search chats (Ctrl+F)</source>
        <translation>Поиск по чатам (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="180"/>
        <source>Search chats</source>
        <translation>Поиск по чатам</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="181"/>
        <source>Chats</source>
        <translation>Чаты</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="183"/>
        <source>Ask about your documents… (Ctrl+Enter sends; drop files here to attach them)</source>
        <translation>Спросите о документах… (Ctrl+Enter — отправить; перетащите сюда файлы, чтобы приложить их)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="185"/>
        <source>Question</source>
        <translation>Вопрос</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="186"/>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="187"/>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="188"/>
        <source>Stop</source>
        <translation>Стоп</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="189"/>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="190"/>
        <source>Regenerate</source>
        <translation>Ответить заново</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="191"/>
        <source>Search in:</source>
        <translation>Искать в:</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="192"/>
        <source>Knowledge bases to search</source>
        <translation>Базы знаний для поиска</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="194"/>
        <location filename="../../desktop/views/chat.py" line="230"/>
        <source>All my knowledge bases</source>
        <translation>Все мои базы знаний</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="384"/>
        <source>Rename…</source>
        <translation>Переименовать…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="385"/>
        <source>Clear (keep a summary)</source>
        <translation>Очистить (сохранив сводку)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="386"/>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="400"/>
        <source>Rename chat</source>
        <translation>Переименовать чат</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="400"/>
        <source>Title</source>
        <translation>Название</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="425"/>
        <source>Chat cleared; a summary of it is being written.</source>
        <translation>Чат очищен; его сводка готовится.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="432"/>
        <source>Delete chat</source>
        <translation>Удалить чат</translation>
    </message>
    <message>
        <location filename="../../desktop/views/chat.py" line="433"/>
        <source>Delete the chat “{title}” with all its messages?</source>
        <translation>Удалить чат «{title}» со всеми сообщениями?</translation>
    </message>
</context>
<context>
    <name>DocumentTableModel</name>
    <message>
        <location filename="../../desktop/itemmodels/documents.py" line="27"/>
        <source>Name</source>
        <translation>Имя файла</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/documents.py" line="28"/>
        <source>Status</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/documents.py" line="29"/>
        <source>Chunks</source>
        <translation>Фрагменты</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/documents.py" line="30"/>
        <source>Pages</source>
        <translation>Страницы</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/documents.py" line="31"/>
        <source>Type</source>
        <translation>Тип</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/documents.py" line="48"/>
        <source>indexing {percent} %</source>
        <translation>индексируется, {percent} %</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/documents.py" line="50"/>
        <source>failed: {reason}</source>
        <translation>ошибка: {reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/documents.py" line="51"/>
        <source>indexed</source>
        <translation>проиндексирован</translation>
    </message>
</context>
<context>
    <name>EmptyStateView</name>
    <message>
        <location filename="../../desktop/views/empty_state.py" line="87"/>
        <source>Ask your documents</source>
        <translation>Спросите свои документы</translation>
    </message>
    <message>
        <location filename="../../desktop/views/empty_state.py" line="89"/>
        <source>Drop a folder or files here to build a knowledge base from them</source>
        <translation>Перетащите сюда папку или файлы, чтобы собрать из них базу знаний</translation>
    </message>
    <message>
        <location filename="../../desktop/views/empty_state.py" line="93"/>
        <source>1. Add documents: drop them here, or use Library → Add documents.
2. Ask a question below; the answer cites its sources as [1], [2]…
3. Hover a number to preview the passage, click it to open the page.</source>
        <translation>1. Добавьте документы: перетащите их сюда или откройте Библиотека → Добавить документы.
2. Задайте вопрос ниже; ответ ссылается на источники как [1], [2]…
3. Наведите на номер, чтобы увидеть фрагмент; щёлкните, чтобы открыть страницу.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/empty_state.py" line="98"/>
        <source>Try for example:</source>
        <translation>Например, спросите:</translation>
    </message>
    <message>
        <location filename="../../desktop/views/empty_state.py" line="100"/>
        <source>What are the main points of these documents?</source>
        <translation>О чём главное в этих документах?</translation>
    </message>
    <message>
        <location filename="../../desktop/views/empty_state.py" line="101"/>
        <source>Summarise the most important deadlines and dates.</source>
        <translation>Перечисли самые важные сроки и даты.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/empty_state.py" line="102"/>
        <source>What do the documents say about costs and payments?</source>
        <translation>Что в документах сказано о стоимости и платежах?</translation>
    </message>
    <message>
        <location filename="../../desktop/views/empty_state.py" line="103"/>
        <source>Which obligations does each party have?</source>
        <translation>Какие обязанности у каждой из сторон?</translation>
    </message>
</context>
<context>
    <name>ExportDialogs</name>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="46"/>
        <source>Turned off by your IT policy ({path})</source>
        <translation>Отключено политикой вашего ИТ-отдела ({path})</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="48"/>
        <source>Turned off on this computer</source>
        <translation>Отключено на этом компьютере</translation>
    </message>
</context>
<context>
    <name>FeedbackDialog</name>
    <message>
        <location filename="../../desktop/views/feedback.py" line="62"/>
        <source>Feedback on the answer</source>
        <translation>Оценка ответа</translation>
    </message>
    <message>
        <location filename="../../desktop/views/feedback.py" line="65"/>
        <source>👍 Right</source>
        <translation>👍 Верно</translation>
    </message>
    <message>
        <location filename="../../desktop/views/feedback.py" line="67"/>
        <source>👎 Wrong</source>
        <translation>👎 Неверно</translation>
    </message>
    <message>
        <location filename="../../desktop/views/feedback.py" line="76"/>
        <source>What was right or wrong? Optional; only you can read it.</source>
        <translation>Что верно или неверно? Необязательно; читать это можете только вы.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/feedback.py" line="78"/>
        <source>Comment</source>
        <translation>Комментарий</translation>
    </message>
    <message>
        <location filename="../../desktop/views/feedback.py" line="82"/>
        <source>Passages the answer was given</source>
        <translation>Фрагменты, по которым дан ответ</translation>
    </message>
    <message>
        <location filename="../../desktop/views/feedback.py" line="103"/>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../desktop/views/feedback.py" line="106"/>
        <source>Save and ask again without the unticked</source>
        <translation>Сохранить и спросить снова без неотмеченных</translation>
    </message>
    <message>
        <location filename="../../desktop/views/feedback.py" line="124"/>
        <source>Untick the passages that misled the answer:</source>
        <translation>Снимите отметку с фрагментов, которые сбили ответ:</translation>
    </message>
    <message>
        <location filename="../../desktop/views/feedback.py" line="160"/>
        <source>The comment is too long: at most {limit} characters.</source>
        <translation>Комментарий слишком длинный: не больше {limit} символов.</translation>
    </message>
</context>
<context>
    <name>KbMarks</name>
    <message>
        <location filename="../../desktop/kb_marks.py" line="18"/>
        <source>My uploads</source>
        <translation>Мои загрузки</translation>
    </message>
    <message>
        <location filename="../../desktop/kb_marks.py" line="20"/>
        <source>{name} · server</source>
        <translation>{name} · сервер</translation>
    </message>
    <message>
        <location filename="../../desktop/kb_marks.py" line="44"/>
        <source>On the team server {url}</source>
        <translation>На командном сервере {url}</translation>
    </message>
    <message>
        <location filename="../../desktop/kb_marks.py" line="48"/>
        <source>Not kept on this computer: asked on the server only.</source>
        <translation>Копии на этом компьютере нет: вопросы задаются только серверу.</translation>
    </message>
    <message>
        <location filename="../../desktop/kb_marks.py" line="52"/>
        <source>A copy will be kept on this computer (not synced yet).</source>
        <translation>Копия будет храниться на этом компьютере (ещё не синхронизирована).</translation>
    </message>
    <message>
        <location filename="../../desktop/kb_marks.py" line="56"/>
        <source>Copy on this computer synced at {time}.</source>
        <translation>Копия на этом компьютере синхронизирована в {time}.</translation>
    </message>
</context>
<context>
    <name>KnowledgeBaseActions</name>
    <message>
        <location filename="../../desktop/views/kb_actions.py" line="44"/>
        <source>New knowledge base</source>
        <translation>Новая база знаний</translation>
    </message>
    <message>
        <location filename="../../desktop/views/kb_actions.py" line="44"/>
        <location filename="../../desktop/views/kb_actions.py" line="59"/>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <location filename="../../desktop/views/kb_actions.py" line="59"/>
        <source>Rename knowledge base</source>
        <translation>Переименовать базу знаний</translation>
    </message>
    <message>
        <location filename="../../desktop/views/kb_actions.py" line="107"/>
        <source>Delete knowledge base</source>
        <translation>Удалить базу знаний</translation>
    </message>
    <message>
        <location filename="../../desktop/views/kb_actions.py" line="109"/>
        <source>Delete “{name}” and its {count} documents for everyone? This cannot be undone.</source>
        <translation>Удалить «{name}» и её документы ({count}) для всех? Это нельзя отменить.</translation>
    </message>
</context>
<context>
    <name>KnowledgeBaseListModel</name>
    <message>
        <location filename="../../desktop/itemmodels/knowledge_bases.py" line="19"/>
        <source>Knowledge base</source>
        <translation>База знаний</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/knowledge_bases.py" line="19"/>
        <source>Documents</source>
        <translation>Документы</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/knowledge_bases.py" line="19"/>
        <source>Access</source>
        <translation>Доступ</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/knowledge_bases.py" line="31"/>
        <source>public</source>
        <translation>общедоступная</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/knowledge_bases.py" line="32"/>
        <source>shared</source>
        <translation>с общим доступом</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/knowledge_bases.py" line="33"/>
        <source>private</source>
        <translation>личная</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/knowledge_bases.py" line="35"/>
        <source>{sharing}, read only</source>
        <translation>{sharing}, только чтение</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/knowledge_bases.py" line="41"/>
        <source>Owner: {owner}</source>
        <translation>Владелец: {owner}</translation>
    </message>
</context>
<context>
    <name>LibraryView</name>
    <message>
        <location filename="../../desktop/views/library.py" line="158"/>
        <source>New…</source>
        <translation>Создать…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="159"/>
        <source>Rename…</source>
        <translation>Переименовать…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="160"/>
        <source>Share…</source>
        <translation>Доступ…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="162"/>
        <source>Watch…</source>
        <translation>Папки…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="163"/>
        <location filename="../../desktop/views/library.py" line="171"/>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="263"/>
        <source>Folders this knowledge base follows: changes are indexed automatically</source>
        <translation>Папки, которые отслеживает эта база знаний: изменения индексируются автоматически</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="168"/>
        <source>Add files…</source>
        <translation>Добавить файлы…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="161"/>
        <source>Assistant…</source>
        <translation>Ассистент…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="169"/>
        <source>Add folder…</source>
        <translation>Добавить папку…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="170"/>
        <location filename="../../desktop/views/library.py" line="311"/>
        <source>Re-index</source>
        <translation>Переиндексировать</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="175"/>
        <source>Delete knowledge base</source>
        <translation>Удалить базу знаний</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="177"/>
        <source>Instructions and answer settings for questions in this knowledge base</source>
        <translation>Инструкции и настройки ответов на вопросы по этой базе знаний</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="179"/>
        <location filename="../../desktop/views/library.py" line="327"/>
        <source>Delete documents</source>
        <translation>Удалить документы</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="180"/>
        <location filename="../../desktop/views/library.py" line="181"/>
        <source>Filter documents</source>
        <translation>Фильтр документов</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="182"/>
        <source>Knowledge bases</source>
        <translation>Базы знаний</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="183"/>
        <source>Documents</source>
        <translation>Документы</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="184"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="185"/>
        <source>Drop files or folders here to add them</source>
        <translation>Перетащите сюда файлы или папки, чтобы добавить их</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="258"/>
        <source>Turned off by your IT policy ({path})</source>
        <translation>Отключено политикой вашего ИТ-отдела ({path})</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="260"/>
        <source>Turned off on this computer</source>
        <translation>Отключено на этом компьютере</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="286"/>
        <source>Add files</source>
        <translation>Добавить файлы</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="289"/>
        <source>Documents (*.pdf *.docx *.xlsx *.pptx *.csv *.txt *.md *.html *.htm *.zip);;All files (*)</source>
        <translation>Документы (*.pdf *.docx *.xlsx *.pptx *.csv *.txt *.md *.html *.htm *.zip);;Все файлы (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="298"/>
        <source>Add folder</source>
        <translation>Добавить папку</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="312"/>
        <source>These files are no longer where they were indexed from:
{names}</source>
        <translation>Этих файлов больше нет там, откуда они индексировались:
{names}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="328"/>
        <source>Remove {count} document(s) from the knowledge base?</source>
        <translation>Убрать документы из базы знаний ({count})?</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="368"/>
        <source>Looking for documents…</source>
        <translation>Ищу документы…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="386"/>
        <source>Indexing {name}: {percent} %</source>
        <translation>Индексирую {name}: {percent} %</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="399"/>
        <source>Indexed {indexed}, unchanged {skipped}, failed {failed}, removed {removed}.</source>
        <translation>Проиндексировано: {indexed}, без изменений: {skipped}, с ошибкой: {failed}, удалено: {removed}.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="407"/>
        <source>Cancelled; the files finished before it are kept. </source>
        <translation>Отменено; файлы, обработанные до отмены, сохранены. </translation>
    </message>
    <message>
        <location filename="../../desktop/views/library.py" line="430"/>
        <source>Stopping…</source>
        <translation>Останавливаю…</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../desktop/views/lock_screen.py" line="48"/>
        <source>Konspekt is locked</source>
        <translation>Konspekt заблокирован</translation>
    </message>
    <message>
        <location filename="../../desktop/views/lock_screen.py" line="49"/>
        <source>Nothing is shown until you type your password again.</source>
        <translation>Ничего не показывается, пока вы снова не введёте пароль.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/lock_screen.py" line="50"/>
        <source>Unlock…</source>
        <translation>Разблокировать…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/lock_screen.py" line="51"/>
        <source>Log out</source>
        <translation>Выйти</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../desktop/views/login.py" line="149"/>
        <location filename="../../desktop/views/login.py" line="154"/>
        <source>Log in</source>
        <translation>Войти</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="149"/>
        <location filename="../../desktop/views/login.py" line="165"/>
        <source>Register</source>
        <translation>Регистрация</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="149"/>
        <source>Welcome to Konspekt</source>
        <translation>Добро пожаловать в Конспект</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="151"/>
        <source>Konspekt</source>
        <translation>Конспект</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="152"/>
        <location filename="../../desktop/views/login.py" line="157"/>
        <location filename="../../desktop/views/login.py" line="173"/>
        <location filename="../../desktop/views/login.py" line="182"/>
        <source>Username</source>
        <translation>Имя пользователя</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="153"/>
        <location filename="../../desktop/views/login.py" line="159"/>
        <location filename="../../desktop/views/login.py" line="175"/>
        <location filename="../../desktop/views/login.py" line="184"/>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="155"/>
        <source>Create an account…</source>
        <translation>Создать учётную запись…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="158"/>
        <location filename="../../desktop/views/login.py" line="174"/>
        <source>Full name</source>
        <translation>Полное имя</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="160"/>
        <location filename="../../desktop/views/login.py" line="176"/>
        <source>Repeat password</source>
        <translation>Повторите пароль</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="161"/>
        <source>Invite code (optional)</source>
        <translation>Код приглашения (необязательно)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="166"/>
        <source>I have an account</source>
        <translation>У меня есть учётная запись</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="169"/>
        <source>Nobody uses Konspekt here yet. Create the administrator account; you will see a recovery code next.</source>
        <translation>Здесь Конспектом ещё никто не пользуется. Создайте учётную запись администратора; затем будет показан код восстановления.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="180"/>
        <source>Create administrator</source>
        <translation>Создать администратора</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="195"/>
        <source>Type your username and password.</source>
        <translation>Введите имя пользователя и пароль.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="198"/>
        <source>Checking…</source>
        <translation>Проверяю…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="219"/>
        <location filename="../../desktop/views/login.py" line="247"/>
        <source>The two passwords differ.</source>
        <translation>Пароли не совпадают.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="238"/>
        <source>Account created. Log in.</source>
        <translation>Учётная запись создана. Войдите.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="240"/>
        <source>Account created. An administrator must approve it before you can log in.</source>
        <translation>Учётная запись создана. Войти можно будет после одобрения администратором.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/login.py" line="252"/>
        <source>Creating the account…</source>
        <translation>Создаю учётную запись…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/views/main_window.py" line="200"/>
        <source>Konspekt</source>
        <translation>Конспект</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="200"/>
        <source>Konspekt — locked</source>
        <translation>Konspekt — заблокирован</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="201"/>
        <source>Chat</source>
        <translation>Чат</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="202"/>
        <source>Library</source>
        <translation>Библиотека</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="204"/>
        <source>Administration</source>
        <translation>Администрирование</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="205"/>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="206"/>
        <source>&amp;Add documents…</source>
        <translation>&amp;Добавить документы…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="207"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Настройки…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="208"/>
        <source>&amp;Team server…</source>
        <translation>&amp;Командный сервер…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="209"/>
        <source>S&amp;ync with the team server now</source>
        <translation>С&amp;инхронизировать с командным сервером</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="210"/>
        <source>Session &amp;summaries…</source>
        <translation>&amp;Сводки сеансов…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="211"/>
        <source>Hide</source>
        <translation>Скрыть</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="212"/>
        <source>&amp;Log out</source>
        <translation>&amp;Выйти из учётной записи</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="213"/>
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="214"/>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="215"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Сочетания клавиш</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="216"/>
        <source>&amp;About Konspekt</source>
        <translation>&amp;О Конспекте</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="219"/>
        <source>administrator</source>
        <translation>администратор</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="220"/>
        <source>editor</source>
        <translation>редактор</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="221"/>
        <source>member</source>
        <translation>участник</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="224"/>
        <source>{name} ({role})</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="244"/>
        <source>**Last time:**</source>
        <translation>**В прошлый раз:**</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="283"/>
        <source>Loading the model…</source>
        <translation>Загружаю модель…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="296"/>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="296"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="297"/>
        <source>Model: {name} ({device})</source>
        <translation>Модель: {name} ({device})</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="299"/>
        <source>Demo model: {name} ({device}) — answers are often wrong</source>
        <translation>Демо-модель: {name} ({device}) — ответы часто неверны</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="304"/>
        <source>Settings → Model → Get a model… installs a real one.</source>
        <translation>Настройки → Модель → «Получить модель…» установит настоящую.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="320"/>
        <source>No model loaded</source>
        <translation>Модель не загружена</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="373"/>
        <source>About Konspekt</source>
        <translation>О Конспекте</translation>
    </message>
    <message>
        <location filename="../../desktop/views/main_window.py" line="375"/>
        <source>Konspekt answers questions from your documents, offline. Documents, chats and the search index are stored encrypted on this computer.</source>
        <translation>Конспект отвечает на вопросы по вашим документам без интернета. Документы, чаты и поисковый индекс хранятся на этом компьютере в зашифрованном виде.</translation>
    </message>
</context>
<context>
    <name>MaintenancePage</name>
    <message>
        <location filename="../../desktop/views/maintenance.py" line="82"/>
        <source>Backups are written to {folder} ({count} kept there now).</source>
        <translation>Резервные копии сохраняются в {folder} (сейчас там {count}).</translation>
    </message>
    <message>
        <location filename="../../desktop/views/maintenance.py" line="86"/>
        <source>Last backup: {when}.</source>
        <translation>Последняя копия: {when}.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/maintenance.py" line="90"/>
        <source>The last run had problems: see the red rows.</source>
        <translation>В последнем запуске были проблемы: см. красные строки.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/maintenance.py" line="131"/>
        <source>Run maintenance now</source>
        <translation>Выполнить обслуживание</translation>
    </message>
    <message>
        <location filename="../../desktop/views/maintenance.py" line="132"/>
        <source>Back up now</source>
        <translation>Создать копию</translation>
    </message>
    <message>
        <location filename="../../desktop/views/maintenance.py" line="133"/>
        <source>Maintenance log</source>
        <translation>Журнал обслуживания</translation>
    </message>
    <message>
        <location filename="../../desktop/views/maintenance.py" line="134"/>
        <source>Working</source>
        <translation>Выполняется</translation>
    </message>
</context>
<context>
    <name>MaintenanceTableModel</name>
    <message>
        <location filename="../../desktop/itemmodels/maintenance.py" line="27"/>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/maintenance.py" line="28"/>
        <source>Task</source>
        <translation>Задача</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/maintenance.py" line="29"/>
        <source>Result</source>
        <translation>Результат</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/maintenance.py" line="30"/>
        <source>Seconds</source>
        <translation>Секунд</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/maintenance.py" line="31"/>
        <source>Detail</source>
        <translation>Подробности</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/maintenance.py" line="37"/>
        <source>Vector index compaction</source>
        <translation>Сжатие векторного индекса</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/maintenance.py" line="38"/>
        <source>Database optimize</source>
        <translation>Оптимизация базы</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/maintenance.py" line="39"/>
        <source>Integrity check</source>
        <translation>Проверка целостности</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/maintenance.py" line="40"/>
        <source>Stored originals cleanup</source>
        <translation>Очистка хранимых оригиналов</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/maintenance.py" line="41"/>
        <source>Encrypted backup</source>
        <translation>Зашифрованная копия</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/maintenance.py" line="51"/>
        <source>ok</source>
        <translation>успешно</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/maintenance.py" line="51"/>
        <source>FAILED</source>
        <translation>ОШИБКА</translation>
    </message>
</context>
<context>
    <name>ModelChoiceDialog</name>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="56"/>
        <source>Choose a model</source>
        <translation>Выбор модели</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="60"/>
        <source>Answers now come from the small demo model: short, English only and often wrong. Choose a model that writes real answers. Everything stays on this computer; a download is checked before it is used.</source>
        <translation>Сейчас отвечает маленькая демо-модель: кратко, только по-английски и часто неверно. Выберите модель, которая пишет настоящие ответы. Всё остаётся на этом компьютере; загруженный файл проверяется перед использованием.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="67"/>
        <source>Looking at this computer…</source>
        <translation>Изучаю этот компьютер…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="75"/>
        <source>I have the file…</source>
        <translation>У меня есть файл…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="76"/>
        <source>Copy a model from a USB stick or a shared folder; it is checked first.</source>
        <translation>Скопировать модель с флешки или из общей папки; сначала она будет проверена.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="82"/>
        <source>Use the small demo model for now</source>
        <translation>Пока использовать маленькую демо-модель</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="83"/>
        <source>You can get a model later in Settings → Model.</source>
        <translation>Модель можно получить позже: Настройки → Модель.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="91"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="164"/>
        <source>GPU {name} with {memory} GB</source>
        <translation>видеокарта {name}, {memory} ГБ</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="168"/>
        <source>no GPU the model can use</source>
        <translation>нет видеокарты, доступной модели</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="169"/>
        <source>This computer: {gpu}; {cores} CPU cores; {ram} GB memory.</source>
        <translation>Этот компьютер: {gpu}; ядер процессора: {cores}; память {ram} ГБ.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="176"/>
        <source>Use {title} (already here)</source>
        <translation>Использовать {title} (уже есть)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="178"/>
        <source>Get {title} ({size} GB)</source>
        <translation>Скачать {title} ({size} ГБ)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="181"/>
        <source> — recommended</source>
        <translation> — рекомендуем</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="184"/>
        <source>the GPU</source>
        <translation>видеокарте</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="184"/>
        <source>the CPU</source>
        <translation>процессоре</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="187"/>
        <source>about {n} s</source>
        <translation>примерно {n} с</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="189"/>
        <source>about {n} min</source>
        <translation>примерно {n} мин</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="190"/>
        <source>First word of an answer after {wait} on {device}.</source>
        <translation>Первое слово ответа — через {wait} на {device}.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="194"/>
        <source>Needs more memory than this computer has.</source>
        <translation>Нужно больше памяти, чем есть на этом компьютере.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="195"/>
        <source>Licence: {licence}.</source>
        <translation>Лицензия: {licence}.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="226"/>
        <source>Choose the model file</source>
        <translation>Выберите файл модели</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="226"/>
        <source>GGUF models (*.gguf)</source>
        <translation>Модели GGUF (*.gguf)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="237"/>
        <source>Starting…</source>
        <translation>Начинаю…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="253"/>
        <source>Checking the part kept from last time: {done:.2f} of {total:.2f} GB</source>
        <translation>Проверка части, сохранённой с прошлого раза: {done:.2f} из {total:.2f} ГБ</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="255"/>
        <source>{done:.2f} of {total:.2f} GB</source>
        <translation>{done:.2f} из {total:.2f} ГБ</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="257"/>
        <source>{rate:.1f} MB/s</source>
        <translation>{rate:.1f} МБ/с</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="261"/>
        <source>about {n} min left</source>
        <translation>осталось примерно {n} мин</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="263"/>
        <source>about {n} s left</source>
        <translation>осталось примерно {n} с</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="274"/>
        <source>Stopped. What arrived is kept: choose the same model to resume.</source>
        <translation>Остановлено. Полученное сохранено: выберите ту же модель, чтобы продолжить.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/model_choice.py" line="284"/>
        <source>Switching the model…</source>
        <translation>Переключаю модель…</translation>
    </message>
</context>
<context>
    <name>OpeningWindow</name>
    <message>
        <location filename="../../desktop/views/opening.py" line="34"/>
        <source>Opening your data…</source>
        <translation>Открываем ваши данные…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/opening.py" line="42"/>
        <source>Quit</source>
        <translation>Выйти</translation>
    </message>
    <message>
        <location filename="../../desktop/views/opening.py" line="58"/>
        <source>Upgrading your data for this version of Konspekt. This happens once and can take a few minutes for a large library; your documents stay as they are.</source>
        <translation>Обновляем ваши данные для этой версии Konspekt. Это происходит один раз и для большой библиотеки может занять несколько минут; ваши документы остаются как есть.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/opening.py" line="66"/>
        <source>{done} of {total} passages</source>
        <translation>{done} из {total} фрагментов</translation>
    </message>
    <message>
        <location filename="../../desktop/views/opening.py" line="79"/>
        <source>Stopping… An upgrade under way is undone; it starts again next time.</source>
        <translation>Останавливаем… Начатое обновление отменяется; оно начнётся заново при следующем запуске.</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="125"/>
        <source>Bundle passphrase</source>
        <translation>Пароль пакета</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="132"/>
        <source>Passphrase</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="134"/>
        <source>Repeat</source>
        <translation>Повторите</translation>
    </message>
    <message>
        <location filename="../../desktop/views/export_dialogs.py" line="136"/>
        <source>Whoever imports the bundle needs this passphrase; it cannot be recovered.</source>
        <translation>Этот пароль понадобится тому, кто будет импортировать пакет; восстановить его нельзя.</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <location filename="../../desktop/views/account.py" line="86"/>
        <source>Locked</source>
        <translation>Заблокировано</translation>
    </message>
    <message>
        <location filename="../../desktop/views/account.py" line="89"/>
        <source>The session was locked after a pause. Type your password to go on.</source>
        <translation>Сеанс заблокирован после перерыва. Введите пароль, чтобы продолжить.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/account.py" line="92"/>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../desktop/views/account.py" line="94"/>
        <source>Change password</source>
        <translation>Смена пароля</translation>
    </message>
    <message>
        <location filename="../../desktop/views/account.py" line="95"/>
        <source>Current password</source>
        <translation>Текущий пароль</translation>
    </message>
    <message>
        <location filename="../../desktop/views/account.py" line="96"/>
        <source>New password</source>
        <translation>Новый пароль</translation>
    </message>
    <message>
        <location filename="../../desktop/views/account.py" line="97"/>
        <source>Repeat new password</source>
        <translation>Повторите новый пароль</translation>
    </message>
    <message>
        <location filename="../../desktop/views/account.py" line="117"/>
        <source>The two passwords differ.</source>
        <translation>Пароли не совпадают.</translation>
    </message>
</context>
<context>
    <name>Publisher</name>
    <message>
        <location filename="../../desktop/views/publish.py" line="61"/>
        <source>Publish</source>
        <translation>Опубликовать</translation>
    </message>
    <message>
        <location filename="../../desktop/views/publish.py" line="61"/>
        <source>Team server</source>
        <translation>Командный сервер</translation>
    </message>
    <message>
        <location filename="../../desktop/views/publish.py" line="66"/>
        <source>Copy “{name}” ({count} documents) to {url}? The server indexes them again; what you may do with it there is decided on the server.</source>
        <translation>Скопировать «{name}» (документов: {count}) на {url}? Сервер проиндексирует их заново; что вам можно делать с ней там, решает сервер.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/publish.py" line="69"/>
        <location filename="../../desktop/views/publish.py" line="82"/>
        <source>Publish to the team server</source>
        <translation>Публикация на командном сервере</translation>
    </message>
    <message>
        <location filename="../../desktop/views/publish.py" line="79"/>
        <source>“{name}” is on {url} now: {count} documents indexed there.</source>
        <translation>«{name}» теперь на {url}: там проиндексировано документов: {count}.</translation>
    </message>
</context>
<context>
    <name>RecoveryCodeDialog</name>
    <message>
        <location filename="../../desktop/views/account.py" line="32"/>
        <source>Recovery code</source>
        <translation>Код восстановления</translation>
    </message>
    <message>
        <location filename="../../desktop/views/account.py" line="36"/>
        <source>This code opens your data if the key in the system keychain is ever lost. It is shown only now: print it or save it somewhere safe, away from this computer.</source>
        <translation>Этот код открывает данные, если ключ в системном хранилище будет утерян. Он показывается только сейчас: распечатайте его или сохраните в надёжном месте не на этом компьютере.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/account.py" line="47"/>
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
    <message>
        <location filename="../../desktop/views/account.py" line="48"/>
        <source>Save to file…</source>
        <translation>Сохранить в файл…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/account.py" line="51"/>
        <source>I have stored the recovery code safely</source>
        <translation>Я надёжно сохранил(а) код восстановления</translation>
    </message>
    <message>
        <location filename="../../desktop/views/account.py" line="66"/>
        <source>Save recovery code</source>
        <translation>Сохранить код восстановления</translation>
    </message>
</context>
<context>
    <name>RemoteKbBar</name>
    <message>
        <location filename="../../desktop/views/remote_kb_bar.py" line="35"/>
        <source>Keep a copy on this computer (for offline use)</source>
        <translation>Хранить копию на этом компьютере (для работы без сети)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/remote_kb_bar.py" line="38"/>
        <source>The copy is encrypted like your own documents and synced in the background</source>
        <translation>Копия шифруется, как и ваши документы, и синхронизируется в фоне</translation>
    </message>
    <message>
        <location filename="../../desktop/views/remote_kb_bar.py" line="41"/>
        <source>Sync now</source>
        <translation>Синхронизировать</translation>
    </message>
    <message>
        <location filename="../../desktop/views/remote_kb_bar.py" line="47"/>
        <source>Publish to the team server…</source>
        <translation>Опубликовать на командном сервере…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/remote_kb_bar.py" line="88"/>
        <source>Keep a copy</source>
        <translation>Хранить копию</translation>
    </message>
    <message>
        <location filename="../../desktop/views/remote_kb_bar.py" line="90"/>
        <source>Delete the copy of “{name}” from this computer? It stays on the server; asking it then needs the server.</source>
        <translation>Удалить копию «{name}» с этого компьютера? На сервере она останется; вопросы к ней будут требовать связи с сервером.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desktop/views/settings.py" line="46"/>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="49"/>
        <source>Model</source>
        <translation>Модель</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="50"/>
        <source>Answers</source>
        <translation>Ответы</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="51"/>
        <source>Appearance</source>
        <translation>Внешний вид</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="52"/>
        <source>Data</source>
        <translation>Данные</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="63"/>
        <source>Only an administrator can change the model, answer and search settings: they apply to everyone who uses Konspekt on this computer.</source>
        <translation>Изменять настройки модели, ответов и поиска может только администратор: они действуют для всех, кто работает с Konspekt на этом компьютере.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="102"/>
        <source>Locked by your IT policy ({path})</source>
        <translation>Закреплено политикой ИТ ({path})</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="122"/>
        <source>automatic: the best GGUF in the models folder</source>
        <translation>автоматически: лучшая GGUF-модель в папке моделей</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="123"/>
        <source>Browse…</source>
        <translation>Обзор…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="128"/>
        <source>Model file</source>
        <translation>Файл модели</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="129"/>
        <source>Get a model…</source>
        <translation>Получить модель…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="132"/>
        <source>Download or import a model, with advice for this computer&apos;s hardware</source>
        <translation>Скачать или импортировать модель — с советом для этого компьютера</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="138"/>
        <source>available: layers are offloaded to the GPU</source>
        <translation>есть: слои модели переносятся на GPU</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="140"/>
        <source>none found: the model runs on the CPU</source>
        <translation>не найден: модель работает на CPU</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="144"/>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="148"/>
        <source>all</source>
        <translation>все</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="151"/>
        <source>GPU layers</source>
        <translation>Слоёв на GPU</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="157"/>
        <source>Context size (tokens)</source>
        <translation>Размер контекста (токенов)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="161"/>
        <source>automatic</source>
        <translation>автоматически</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="163"/>
        <source>CPU threads</source>
        <translation>Потоков CPU</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="174"/>
        <source>Temperature</source>
        <translation>Температура</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="180"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="185"/>
        <source>Longest answer (tokens)</source>
        <translation>Максимальная длина ответа (токенов)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="190"/>
        <source>Passages per answer</source>
        <translation>Фрагментов на ответ</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="197"/>
        <source>When the model runs on the CPU, fewer passages make the first word come sooner: each passage is about 300 tokens the CPU must read first.</source>
        <translation>Когда модель работает на процессоре, меньше фрагментов — раньше первое слово: каждый фрагмент — около 300 токенов, которые процессор должен сначала прочитать.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="201"/>
        <source>Passages per answer on CPU</source>
        <translation>Фрагментов на ответ на CPU</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="203"/>
        <source>Re-rank passages with the cross-encoder when one is installed</source>
        <translation>Переранжировать фрагменты кросс-энкодером, если он установлен</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="214"/>
        <source>Recent session summaries (besides pinned ones) the model may use to understand a question; they are marked as memory and never cited. 0 turns memory off.</source>
        <translation>Сколько недавних сводок сеансов (кроме закреплённых) модель может учитывать, чтобы понять вопрос; они помечены как память и никогда не цитируются. 0 — память выключена.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="218"/>
        <source>Notes from earlier sessions</source>
        <translation>Заметки о прошлых сеансах</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="219"/>
        <source>Embedder</source>
        <translation>Модель эмбеддингов</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="227"/>
        <source>System language</source>
        <translation>Язык системы</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="231"/>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="235"/>
        <source>As the system</source>
        <translation>Как в системе</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="236"/>
        <source>Light</source>
        <translation>Светлая</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="237"/>
        <source>Dark</source>
        <translation>Тёмная</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="241"/>
        <source>Theme</source>
        <translation>Тема</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="250"/>
        <source>Data folder</source>
        <translation>Папка данных</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="252"/>
        <source>IT&apos;s policy keeps the data in this folder.</source>
        <translation>Политика ИТ хранит данные в этой папке.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="255"/>
        <source>To use another folder, start Konspekt with KONSPEKT_DATA_DIR set to it (IT can set it in the policy).</source>
        <translation>Чтобы использовать другую папку, запустите Конспект с переменной KONSPEKT_DATA_DIR (ИТ-служба может задать её в политике).</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="263"/>
        <source>{source}
Locked: {locked}
Presets: {presets}</source>
        <translation>{source}
Закреплено: {locked}
Предустановлено: {presets}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="269"/>
        <source>None: nothing is locked or preset by IT on this computer.</source>
        <translation>Нет: на этом компьютере ИТ ничего не закрепил и не предустановил.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="273"/>
        <source>Installation policy</source>
        <translation>Политика установки</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="279"/>
        <source>Choose a model</source>
        <translation>Выберите модель</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="279"/>
        <source>GGUF models (*.gguf)</source>
        <translation>Модели GGUF (*.gguf)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="322"/>
        <source>There is no model file at {path}.</source>
        <translation>Файла модели {path} не существует.</translation>
    </message>
</context>
<context>
    <name>ShareDialog</name>
    <message>
        <location filename="../../desktop/views/share.py" line="36"/>
        <source>Share “{name}”</source>
        <translation>Доступ к «{name}»</translation>
    </message>
    <message>
        <location filename="../../desktop/views/share.py" line="37"/>
        <source>Public: every user can read it</source>
        <translation>Общедоступная: читать могут все пользователи</translation>
    </message>
    <message>
        <location filename="../../desktop/views/share.py" line="44"/>
        <source>User</source>
        <translation>Пользователь</translation>
    </message>
    <message>
        <location filename="../../desktop/views/share.py" line="45"/>
        <source>Group</source>
        <translation>Группа</translation>
    </message>
    <message>
        <location filename="../../desktop/views/share.py" line="48"/>
        <source>username or group name</source>
        <translation>имя пользователя или группы</translation>
    </message>
    <message>
        <location filename="../../desktop/views/share.py" line="50"/>
        <location filename="../../desktop/views/share.py" line="81"/>
        <source>can read</source>
        <translation>может читать</translation>
    </message>
    <message>
        <location filename="../../desktop/views/share.py" line="51"/>
        <location filename="../../desktop/views/share.py" line="81"/>
        <source>can add documents</source>
        <translation>может добавлять документы</translation>
    </message>
    <message>
        <location filename="../../desktop/views/share.py" line="52"/>
        <source>Share</source>
        <translation>Открыть доступ</translation>
    </message>
    <message>
        <location filename="../../desktop/views/share.py" line="55"/>
        <source>Remove selected</source>
        <translation>Убрать выбранное</translation>
    </message>
    <message>
        <location filename="../../desktop/views/share.py" line="66"/>
        <source>Shared with:</source>
        <translation>Доступ открыт:</translation>
    </message>
    <message>
        <location filename="../../desktop/views/share.py" line="79"/>
        <source>user</source>
        <translation>пользователю</translation>
    </message>
    <message>
        <location filename="../../desktop/views/share.py" line="79"/>
        <source>group</source>
        <translation>группе</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../desktop/views/shortcuts.py" line="76"/>
        <source>Start a new chat</source>
        <translation>Начать новый чат</translation>
    </message>
    <message>
        <location filename="../../desktop/views/shortcuts.py" line="77"/>
        <source>Go to the question box</source>
        <translation>Перейти к полю вопроса</translation>
    </message>
    <message>
        <location filename="../../desktop/views/shortcuts.py" line="78"/>
        <source>Send the question</source>
        <translation>Отправить вопрос</translation>
    </message>
    <message>
        <location filename="../../desktop/views/shortcuts.py" line="79"/>
        <source>Stop the answer (or close the find box)</source>
        <translation>Остановить ответ (или закрыть поиск)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/shortcuts.py" line="80"/>
        <source>Search chats (in the library: filter documents)</source>
        <translation>Искать чаты (в библиотеке — фильтр документов)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/shortcuts.py" line="81"/>
        <source>Find text in this chat</source>
        <translation>Найти текст в этом чате</translation>
    </message>
    <message>
        <location filename="../../desktop/views/shortcuts.py" line="82"/>
        <source>Show or hide the sources panel</source>
        <translation>Показать или скрыть панель источников</translation>
    </message>
    <message>
        <location filename="../../desktop/views/shortcuts.py" line="83"/>
        <source>Go to Chat</source>
        <translation>Перейти в Чат</translation>
    </message>
    <message>
        <location filename="../../desktop/views/shortcuts.py" line="84"/>
        <source>Go to Library</source>
        <translation>Перейти в Библиотеку</translation>
    </message>
    <message>
        <location filename="../../desktop/views/shortcuts.py" line="85"/>
        <source>Go to Administration (administrators)</source>
        <translation>Перейти в Администрирование (для администраторов)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/shortcuts.py" line="86"/>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <location filename="../../desktop/views/shortcuts.py" line="87"/>
        <source>This list of keyboard shortcuts</source>
        <translation>Этот список сочетаний клавиш</translation>
    </message>
    <message>
        <location filename="../../desktop/views/shortcuts.py" line="88"/>
        <source>Quit</source>
        <translation>Выход</translation>
    </message>
    <message>
        <location filename="../../desktop/views/shortcuts.py" line="92"/>
        <source>Keyboard shortcuts</source>
        <translation>Сочетания клавиш</translation>
    </message>
    <message>
        <location filename="../../desktop/views/shortcuts.py" line="93"/>
        <source>Keys</source>
        <translation>Клавиши</translation>
    </message>
    <message>
        <location filename="../../desktop/views/shortcuts.py" line="93"/>
        <source>Action</source>
        <translation>Действие</translation>
    </message>
</context>
<context>
    <name>SourceDialog</name>
    <message>
        <location filename="../../desktop/views/source_viewer.py" line="54"/>
        <source>◀ Previous page</source>
        <translation>◀ Предыдущая страница</translation>
    </message>
    <message>
        <location filename="../../desktop/views/source_viewer.py" line="55"/>
        <source>Next page ▶</source>
        <translation>Следующая страница ▶</translation>
    </message>
    <message>
        <location filename="../../desktop/views/source_viewer.py" line="62"/>
        <source>Cited passage: “{text}”</source>
        <translation>Цитируемый фрагмент: «{text}»</translation>
    </message>
    <message>
        <location filename="../../desktop/views/source_viewer.py" line="101"/>
        <source>Page {page}</source>
        <translation>Страница {page}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/source_viewer.py" line="79"/>
        <source>page {page}</source>
        <translation>стр. {page}</translation>
    </message>
</context>
<context>
    <name>SourceListModel</name>
    <message>
        <location filename="../../desktop/itemmodels/sources.py" line="22"/>
        <source>Source</source>
        <translation>Источник</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/sources.py" line="31"/>
        <source>(weak support)</source>
        <translation>(слабое подтверждение)</translation>
    </message>
</context>
<context>
    <name>SourcesPanel</name>
    <message>
        <location filename="../../desktop/views/sources.py" line="65"/>
        <source>Sources</source>
        <translation>Источники</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sources.py" line="66"/>
        <source>Sources of the answer</source>
        <translation>Источники ответа</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sources.py" line="68"/>
        <source>✓ cited in the answer. Untick a passage to leave it out and ask again.</source>
        <translation>✓ — процитирован в ответе. Снимите отметку с фрагмента, чтобы исключить его и спросить снова.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sources.py" line="70"/>
        <location filename="../../desktop/views/sources.py" line="71"/>
        <source>Retrieved passage</source>
        <translation>Найденный фрагмент</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sources.py" line="72"/>
        <source>Open at this place</source>
        <translation>Открыть в этом месте</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sources.py" line="73"/>
        <source>Ask again without unticked passages</source>
        <translation>Спросить снова без отключённых фрагментов</translation>
    </message>
</context>
<context>
    <name>SourcesToggle</name>
    <message>
        <location filename="../../desktop/views/sources_toggle.py" line="32"/>
        <source>Sources</source>
        <translation>Источники</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sources_toggle.py" line="33"/>
        <source>Show or hide the sources panel (Ctrl+Shift+S)</source>
        <translation>Показать или скрыть панель источников (Ctrl+Shift+S)</translation>
    </message>
</context>
<context>
    <name>SummariesDialog</name>
    <message>
        <location filename="../../desktop/views/summaries.py" line="31"/>
        <source>Session summaries</source>
        <translation>Сводки сеансов</translation>
    </message>
    <message>
        <location filename="../../desktop/views/summaries.py" line="38"/>
        <location filename="../../desktop/views/summaries.py" line="101"/>
        <source>Pin</source>
        <translation>Закрепить</translation>
    </message>
    <message>
        <location filename="../../desktop/views/summaries.py" line="41"/>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../../desktop/views/summaries.py" line="75"/>
        <source>logout</source>
        <translation>выход</translation>
    </message>
    <message>
        <location filename="../../desktop/views/summaries.py" line="75"/>
        <source>cleared chat</source>
        <translation>очищенный чат</translation>
    </message>
    <message>
        <location filename="../../desktop/views/summaries.py" line="101"/>
        <source>Unpin</source>
        <translation>Открепить</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../../desktop/views/sync_status.py" line="35"/>
        <source>Stop sync</source>
        <translation>Остановить синхронизацию</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync_status.py" line="58"/>
        <source>Syncing with the team server…</source>
        <translation>Синхронизация с командным сервером…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync_status.py" line="72"/>
        <source>Stopping the sync…</source>
        <translation>Синхронизация останавливается…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync_status.py" line="82"/>
        <source>{kb}: {total} change(s) to fetch</source>
        <translation>{kb}: изменений к загрузке: {total}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync_status.py" line="89"/>
        <source>{kb}: {document} ({done} of {total})</source>
        <translation>{kb}: {document} ({done} из {total})</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync_status.py" line="115"/>
        <source>Synced: no copy of a server&apos;s knowledge base is kept here.</source>
        <translation>Синхронизировано: копий баз знаний сервера на этом компьютере нет.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync_status.py" line="121"/>
        <source>{kb}: access revoked on the server, copy removed</source>
        <translation>{kb}: доступ на сервере отозван, копия удалена</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync_status.py" line="122"/>
        <source>{kb}: {added} added, {changed} changed, {removed} removed</source>
        <translation>{kb}: добавлено {added}, изменено {changed}, удалено {removed}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync_status.py" line="126"/>
        <source> (re-embedded locally: the server uses another embedding model)</source>
        <translation> (векторы пересчитаны здесь: на сервере другая модель эмбеддингов)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync_status.py" line="128"/>
        <source>Stopped, continues at the next sync. </source>
        <translation>Остановлено, продолжится при следующей синхронизации. </translation>
    </message>
</context>
<context>
    <name>TeamServerDialog</name>
    <message>
        <location filename="../../desktop/views/team_server.py" line="52"/>
        <source>Team server</source>
        <translation>Командный сервер</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="68"/>
        <source>Locked by your IT policy ({path})</source>
        <translation>Закреплено политикой ИТ ({path})</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="70"/>
        <source>Check</source>
        <translation>Проверить</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="85"/>
        <source>Trust this fingerprint and connect</source>
        <translation>Доверять этому отпечатку и подключиться</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="92"/>
        <location filename="../../desktop/views/team_server.py" line="251"/>
        <source>Disconnect</source>
        <translation>Отключиться</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="98"/>
        <source>1. Check the server</source>
        <translation>1. Проверьте сервер</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="103"/>
        <source>Address the server&apos;s administrator gave you:</source>
        <translation>Адрес, который дал администратор сервера:</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="108"/>
        <source>2. Log in with your account on the server</source>
        <translation>2. Войдите под своей учётной записью на сервере</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="110"/>
        <source>User name</source>
        <translation>Имя пользователя</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="111"/>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="113"/>
        <source>Connected servers</source>
        <translation>Подключённые серверы</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="129"/>
        <source>Asking the server for its certificate…</source>
        <translation>Запрашиваем у сервера его сертификат…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="162"/>
        <source>Certificate fingerprint (SHA-256) of {url}:</source>
        <translation>Отпечаток сертификата (SHA-256) сервера {url}:</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="166"/>
        <source>This is the fingerprint already trusted for this server on this computer.</source>
        <translation>Это отпечаток, которому этот компьютер уже доверяет для этого сервера.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="170"/>
        <source>Compare it with the fingerprint IT or the server&apos;s administrator gave you. Connect only if every character matches: a different fingerprint means you may be talking to another machine pretending to be the server.</source>
        <translation>Сравните его с отпечатком, который дали ИТ-служба или администратор сервера. Подключайтесь, только если совпадает каждый символ: другой отпечаток означает, что вам, возможно, отвечает другая машина, выдающая себя за сервер.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="186"/>
        <source>Connecting…</source>
        <translation>Подключение…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="201"/>
        <source>Connected to {url} as {account}. Its knowledge bases are in your lists.</source>
        <translation>Подключено к {url} как {account}. Базы знаний сервера появились в ваших списках.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="213"/>
        <source>The server did not accept this user name and password (or the account is disabled or not yet approved there).</source>
        <translation>Сервер не принял это имя пользователя и пароль (или учётная запись там отключена либо ещё не одобрена).</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="235"/>
        <source>Trusted certificate:</source>
        <translation>Доверенный сертификат:</translation>
    </message>
    <message>
        <location filename="../../desktop/views/team_server.py" line="253"/>
        <source>Disconnect from {url}? Its knowledge bases and their copies are removed from this computer; nothing changes on the server.</source>
        <translation>Отключиться от {url}? Его базы знаний и их копии будут удалены с этого компьютера; на сервере ничего не изменится.</translation>
    </message>
</context>
<context>
    <name>TemplateButton</name>
    <message>
        <location filename="../../desktop/views/templates.py" line="129"/>
        <source>Templates</source>
        <translation>Шаблоны</translation>
    </message>
    <message>
        <location filename="../../desktop/views/templates.py" line="130"/>
        <source>Insert a saved question (or type / in the box)</source>
        <translation>Вставить сохранённый вопрос (или наберите / в поле)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/templates.py" line="152"/>
        <source>No templates yet</source>
        <translation>Шаблонов пока нет</translation>
    </message>
    <message>
        <location filename="../../desktop/views/templates.py" line="154"/>
        <source>Manage templates…</source>
        <translation>Управление шаблонами…</translation>
    </message>
</context>
<context>
    <name>TemplateFillDialog</name>
    <message>
        <location filename="../../desktop/views/templates.py" line="78"/>
        <source>Fill in “{name}”.</source>
        <translation>Заполните «{name}».</translation>
    </message>
</context>
<context>
    <name>TemplateListModel</name>
    <message>
        <location filename="../../desktop/itemmodels/templates.py" line="18"/>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/templates.py" line="18"/>
        <source>Question</source>
        <translation>Вопрос</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/templates.py" line="18"/>
        <source>Shared with</source>
        <translation>Общий для</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/templates.py" line="25"/>
        <source>Only me</source>
        <translation>Только я</translation>
    </message>
</context>
<context>
    <name>TemplatesDialog</name>
    <message>
        <location filename="../../desktop/views/templates_dialog.py" line="40"/>
        <source>Question templates</source>
        <translation>Шаблоны вопросов</translation>
    </message>
    <message>
        <location filename="../../desktop/views/templates_dialog.py" line="58"/>
        <source>e.g. Compare clause {n} in {document A} and {document B}</source>
        <translation>например: Сравни пункт {n} в {документ А} и {документ Б}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/templates_dialog.py" line="63"/>
        <source>New</source>
        <translation>Новый</translation>
    </message>
    <message>
        <location filename="../../desktop/views/templates_dialog.py" line="66"/>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../desktop/views/templates_dialog.py" line="69"/>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../../desktop/views/templates_dialog.py" line="77"/>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../../desktop/views/templates_dialog.py" line="78"/>
        <source>Question</source>
        <translation>Вопрос</translation>
    </message>
    <message>
        <location filename="../../desktop/views/templates_dialog.py" line="79"/>
        <source>Shared with</source>
        <translation>Общий для</translation>
    </message>
    <message>
        <location filename="../../desktop/views/templates_dialog.py" line="80"/>
        <source>Write {name} for a value asked when the template is used; {{ for a brace.</source>
        <translation>Напишите {имя} для значения, которое спросят при использовании шаблона; {{ — для самой скобки.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/templates_dialog.py" line="115"/>
        <location filename="../../desktop/views/templates_dialog.py" line="140"/>
        <source>Only me</source>
        <translation>Только я</translation>
    </message>
    <message>
        <location filename="../../desktop/views/templates_dialog.py" line="119"/>
        <source>Everyone who reads “{name}”</source>
        <translation>Все, кто читает «{name}»</translation>
    </message>
    <message>
        <location filename="../../desktop/views/templates_dialog.py" line="148"/>
        <source>Shared by the editors of “{name}”: you can use it, not change it.</source>
        <translation>Общий шаблон редакторов «{name}»: его можно использовать, но не изменять.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/templates_dialog.py" line="189"/>
        <source>Delete the template “{name}”?</source>
        <translation>Удалить шаблон «{name}»?</translation>
    </message>
    <message>
        <location filename="../../desktop/views/templates_dialog.py" line="190"/>
        <source>Delete template</source>
        <translation>Удалить шаблон</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <location filename="../../desktop/views/transcript.py" line="90"/>
        <source>Conversation</source>
        <translation>Разговор</translation>
    </message>
    <message>
        <location filename="../../desktop/views/transcript.py" line="155"/>
        <source>Click to open the source.</source>
        <translation>Щёлкните, чтобы открыть источник.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/transcript.py" line="170"/>
        <source>Show {count} earlier messages</source>
        <translation>Показать более ранние сообщения: {count}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/transcript.py" line="239"/>
        <source>You</source>
        <translation>Вы</translation>
    </message>
    <message>
        <location filename="../../desktop/views/transcript.py" line="242"/>
        <location filename="../../desktop/views/transcript.py" line="243"/>
        <source>Konspekt</source>
        <translation>Конспект</translation>
    </message>
    <message>
        <location filename="../../desktop/views/transcript.py" line="249"/>
        <source>Helpful</source>
        <translation>Полезно</translation>
    </message>
    <message>
        <location filename="../../desktop/views/transcript.py" line="249"/>
        <source>Wrong</source>
        <translation>Неверно</translation>
    </message>
    <message>
        <location filename="../../desktop/views/transcript.py" line="253"/>
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
    <message>
        <location filename="../../desktop/views/transcript.py" line="302"/>
        <source>This answer helped</source>
        <translation>Этот ответ помог</translation>
    </message>
    <message>
        <location filename="../../desktop/views/transcript.py" line="302"/>
        <source>This answer is wrong…</source>
        <translation>Этот ответ неверен…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/transcript.py" line="304"/>
        <source>Copy this answer</source>
        <translation>Скопировать этот ответ</translation>
    </message>
</context>
<context>
    <name>UsagePage</name>
    <message>
        <location filename="../../desktop/views/usage.py" line="126"/>
        <source>Counting…</source>
        <translation>Подсчёт…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="144"/>
        <source>{questions} questions; not found {not_found:.0f} %; rated right {up}, wrong {down}; first word after {first:.1f} s on average, {rate:.1f} tokens/s; {documents} documents, {chunks} passages, {mib:.1f} MiB on disk</source>
        <translation>Вопросов: {questions}; не найдено {not_found:.0f} %; оценено верно {up}, неверно {down}; первое слово в среднем через {first:.1f} с, {rate:.1f} токенов/с; документов: {documents}, фрагментов: {chunks}, на диске {mib:.1f} МиБ</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="161"/>
        <source>Questions per day</source>
        <translation>Вопросы по дням</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="163"/>
        <source>Questions per knowledge base</source>
        <translation>Вопросы по базам знаний</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="168"/>
        <source>Feedback: {percent:.0f} % rated right</source>
        <translation>Оценки: {percent:.0f} % «верно»</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="169"/>
        <location filename="../../desktop/views/usage.py" line="184"/>
        <source>Right</source>
        <translation>Верно</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="169"/>
        <location filename="../../desktop/views/usage.py" line="184"/>
        <source>Wrong</source>
        <translation>Неверно</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="173"/>
        <source>Documents indexed per day</source>
        <translation>Документы, проиндексированные по дням</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="180"/>
        <source>Knowledge base</source>
        <translation>База знаний</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="180"/>
        <source>Document</source>
        <translation>Документ</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="181"/>
        <source>User</source>
        <translation>Пользователь</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="181"/>
        <source>(deleted account)</source>
        <translation>(удалённая учётная запись)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="184"/>
        <source>Questions</source>
        <translation>Вопросы</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="184"/>
        <source>Not found</source>
        <translation>Не найдено</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="190"/>
        <source>Citations</source>
        <translation>Цитирования</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="195"/>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="206"/>
        <source>document {id} (a knowledge base you cannot read)</source>
        <translation>документ {id} (база знаний, которую вы не можете читать)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="210"/>
        <source>Export the usage tables as CSV</source>
        <translation>Экспорт таблиц использования в CSV</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="220"/>
        <source>{count} CSV files written to {path}</source>
        <translation>CSV-файлов записано: {count}, в {path}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="235"/>
        <source>Last {days} days</source>
        <translation>Последние {days} дн.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="238"/>
        <source>Period</source>
        <translation>Период</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="239"/>
        <source>Export CSV…</source>
        <translation>Экспорт CSV…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="241"/>
        <source>Per user</source>
        <translation>По пользователям</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="242"/>
        <source>Most cited</source>
        <translation>Чаще всего цитируемые</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="243"/>
        <source>Never cited</source>
        <translation>Ни разу не процитированные</translation>
    </message>
    <message>
        <location filename="../../desktop/views/usage.py" line="244"/>
        <source>Failed documents</source>
        <translation>Документы с ошибкой</translation>
    </message>
</context>
<context>
    <name>UserTableModel</name>
    <message>
        <location filename="../../desktop/itemmodels/users.py" line="18"/>
        <source>Username</source>
        <translation>Имя пользователя</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/users.py" line="19"/>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/users.py" line="20"/>
        <source>Role</source>
        <translation>Роль</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/users.py" line="21"/>
        <source>Status</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/users.py" line="22"/>
        <source>Last login</source>
        <translation>Последний вход</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/users.py" line="28"/>
        <source>administrator</source>
        <translation>администратор</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/users.py" line="29"/>
        <source>editor</source>
        <translation>редактор</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/users.py" line="30"/>
        <source>member</source>
        <translation>участник</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/users.py" line="37"/>
        <source>active</source>
        <translation>активен</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/users.py" line="38"/>
        <source>waiting for approval</source>
        <translation>ждёт одобрения</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/users.py" line="39"/>
        <source>disabled</source>
        <translation>отключён</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/users.py" line="53"/>
        <source>never</source>
        <translation>никогда</translation>
    </message>
</context>
<context>
    <name>WatchDialog</name>
    <message>
        <location filename="../../desktop/views/watches.py" line="44"/>
        <source>Watched folders of “{name}”</source>
        <translation>Отслеживаемые папки «{name}»</translation>
    </message>
    <message>
        <location filename="../../desktop/views/watches.py" line="48"/>
        <source>New, changed and deleted files in these folders (and their subfolders) are indexed automatically: at once when the system reports a change, and by a full rescan every few minutes.</source>
        <translation>Новые, изменённые и удалённые файлы в этих папках (и вложенных) индексируются автоматически: сразу, когда система сообщает об изменении, и при полном пересканировании каждые несколько минут.</translation>
    </message>
    <message>
        <location filename="../../desktop/views/watches.py" line="66"/>
        <source>Watched folders</source>
        <translation>Отслеживаемые папки</translation>
    </message>
    <message>
        <location filename="../../desktop/views/watches.py" line="68"/>
        <source>Add folder…</source>
        <translation>Добавить папку…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/watches.py" line="69"/>
        <source>Stop watching</source>
        <translation>Не отслеживать</translation>
    </message>
    <message>
        <location filename="../../desktop/views/watches.py" line="70"/>
        <source>Scan now</source>
        <translation>Сканировать</translation>
    </message>
    <message>
        <location filename="../../desktop/views/watches.py" line="145"/>
        <source>Folder to watch</source>
        <translation>Папка для отслеживания</translation>
    </message>
</context>
<context>
    <name>WatchTableModel</name>
    <message>
        <location filename="../../desktop/itemmodels/watches.py" line="26"/>
        <source>Folder</source>
        <translation>Папка</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/watches.py" line="26"/>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/watches.py" line="26"/>
        <source>Last scan</source>
        <translation>Последнее сканирование</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/watches.py" line="26"/>
        <source>Last changes</source>
        <translation>Последние изменения</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/watches.py" line="31"/>
        <source>waiting for the first scan</source>
        <translation>ждёт первого сканирования</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/watches.py" line="32"/>
        <source>scanning…</source>
        <translation>сканируется…</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/watches.py" line="33"/>
        <source>up to date</source>
        <translation>актуальна</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/watches.py" line="34"/>
        <source>not scanned: {reason}</source>
        <translation>не сканируется: {reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/watches.py" line="38"/>
        <source> · following changes</source>
        <translation> · изменения отслеживаются</translation>
    </message>
    <message>
        <location filename="../../desktop/itemmodels/watches.py" line="50"/>
        <source>{indexed} indexed, {removed} removed, {failed} failed</source>
        <translation>проиндексировано {indexed}, удалено {removed}, ошибок {failed}</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../desktop/errors.py" line="21"/>
        <source>The file {name} could not be read or written: {reason}</source>
        <translation>Не удалось прочитать или записать файл {name}: {reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/errors.py" line="25"/>
        <source>Something went wrong ({kind}). Nothing was lost; please try again.</source>
        <translation>Что-то пошло не так ({kind}). Ничего не потеряно; попробуйте ещё раз.</translation>
    </message>
    <message>
        <location filename="../../desktop/errors.py" line="50"/>
        <source>Konspekt</source>
        <translation>Конспект</translation>
    </message>
</context>
</TS>
