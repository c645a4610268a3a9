#include "ui/inspector/ResponseInspector.h"

#include "core/http/HttpMessage.h"

#include "core/json/JsonSearch.h"
#include "core/json/JsonText.h"
#include "core/util/Jwt.h"
#include "ui/inspector/ChunkedTextLoader.h"
#include "ui/inspector/JsonTreeModel.h"
#include "ui/inspector/JwtView.h"

#include <QApplication>
#include <QClipboard>
#include <QCoreApplication>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPointer>
#include <QRunnable>
#include <QShortcut>
#include <QTabWidget>
#include <QTableWidget>
#include <QThreadPool>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <climits>

namespace keyway::ui {

struct ResponseInspector::TextJobResult
{
    QString pretty;
    QString raw;
};

namespace {

bool looksLikeJson(const QByteArray& body)
{
    for (const char c : body) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            continue;
        }
        return c == '{' || c == '[';
    }
    return false;
}

// UTF-8 to text for display, with lines longer than `lineChars` bytes broken so no single layout line is
// huge. Breaks go on the bytes, before a character's first byte, so there is only one conversion to UTF-16.
QString displayText(const QByteArray& utf8, qsizetype lineChars)
{
    QByteArray broken;
    broken.reserve(utf8.size() + utf8.size() / lineChars + 16);
    qsizetype lineLength = 0;
    for (const char c : utf8) {
        const bool continuation = (static_cast<unsigned char>(c) & 0xC0) == 0x80;
        if (c == '\n') {
            lineLength = -1;
        } else if (lineLength >= lineChars && !continuation) {
            broken.append('\n');
            lineLength = 0;
        }
        broken.append(c);
        ++lineLength;
    }
    return QString::fromUtf8(broken);
}

QPlainTextEdit* makeTextView(const QString& objectName, const QString& accessibleName, QWidget* parent)
{
    auto* view = new QPlainTextEdit(parent);
    view->setObjectName(objectName);
    view->setAccessibleName(accessibleName);
    view->setReadOnly(true);
    view->setUndoRedoEnabled(false);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    view->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return view;
}

bool isDarkPalette(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor successColor(const QPalette& palette)
{
    return isDarkPalette(palette) ? QColor(0x81, 0xc7, 0x84) : QColor(0x1b, 0x5e, 0x20);
}

QColor errorColor(const QPalette& palette)
{
    return isDarkPalette(palette) ? QColor(0xef, 0x9a, 0x9a) : QColor(0xb7, 0x1c, 0x1c);
}

} // namespace

ResponseInspector::ResponseInspector(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("responseInspector"));
    setAccessibleName(tr("Response inspector"));
    buildUi();
    clear();
}

ResponseInspector::~ResponseInspector() = default;

void ResponseInspector::buildUi()
{
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_status->font();
    bold.setBold(true);
    m_status->setFont(bold);

    m_decodeJwt = new QToolButton(this);
    m_decodeJwt->setObjectName(QStringLiteral("decodeJwtButton"));
    m_decodeJwt->setText(tr("Decode JWT"));
    m_decodeJwt->setToolTip(tr("Decode the selected token-shaped value"));
    connect(m_decodeJwt, &QToolButton::clicked, this, [this] { decodeJwt(m_jwtCandidate); });

    auto* top = new QHBoxLayout;
    top->addWidget(m_status, 1);
    top->addWidget(m_decodeJwt);

    auto makeLabel = [this](const QString& name) {
        auto* label = new QLabel(this);
        label->setObjectName(name);
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->hide();
        return label;
    };
    m_envelope = makeLabel(QStringLiteral("envelopeLabel"));
    m_hint = makeLabel(QStringLiteral("hintLabel"));
    m_note = makeLabel(QStringLiteral("bodyNote"));

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("bodyTabs"));
    m_tabs->setDocumentMode(true);

    m_model = new JsonTreeModel(this);
    m_tree = new QTreeView(m_tabs);
    m_tree->setObjectName(QStringLiteral("jsonTree"));
    m_tree->setAccessibleName(tr("JSON tree"));
    m_tree->setUniformRowHeights(true); // lets the view skip measuring rows it does not show
    m_tree->setModel(m_model);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setMinimumSectionSize(60);
    // A reset model re-creates the header's sections with default modes: set them again each time, or
    // the Value column shrinks to a few characters beside a wide Type column.
    auto applyColumns = [this] {
        QHeaderView* header = m_tree->header();
        if (header->count() > JsonTreeModel::TypeColumn) {
            header->setSectionResizeMode(JsonTreeModel::KeyColumn, QHeaderView::Interactive);
            header->setSectionResizeMode(JsonTreeModel::ValueColumn, QHeaderView::Stretch);
            header->setSectionResizeMode(JsonTreeModel::TypeColumn, QHeaderView::Fixed);
            header->resizeSection(JsonTreeModel::TypeColumn,
                                  header->fontMetrics().horizontalAdvance(QStringLiteral("boolean  ")) + 16);
        }
    };
    applyColumns();
    connect(m_model, &QAbstractItemModel::modelReset, this, applyColumns);
    connect(m_model, &QAbstractItemModel::columnsInserted, this, applyColumns);
    connect(m_model, &QAbstractItemModel::layoutChanged, this, applyColumns);
    m_tree->setColumnWidth(JsonTreeModel::KeyColumn, 260);
    connect(m_tree, &QTreeView::customContextMenuRequested, this, &ResponseInspector::showTreeMenu);
    connect(
        m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &ResponseInspector::updateJwtCandidate);
    connect(m_model, &JsonTreeModel::loaded, this, &ResponseInspector::onTreeLoaded);
    connect(m_model, &JsonTreeModel::failed, this, &ResponseInspector::onTreeFailed);

    m_pretty = makeTextView(QStringLiteral("prettyText"), tr("Body, formatted"), m_tabs);
    m_raw = makeTextView(QStringLiteral("rawText"), tr("Body, raw"), m_tabs);
    m_prettyLoader = new ChunkedTextLoader(m_pretty);
    m_rawLoader = new ChunkedTextLoader(m_raw);
    connect(m_pretty, &QPlainTextEdit::selectionChanged, this, &ResponseInspector::updateJwtCandidate);
    connect(m_raw, &QPlainTextEdit::selectionChanged, this, &ResponseInspector::updateJwtCandidate);

    m_headers = new QTableWidget(0, 2, m_tabs);
    m_headers->setObjectName(QStringLiteral("headersTable"));
    m_headers->setAccessibleName(tr("Response headers"));
    m_headers->setHorizontalHeaderLabels({tr("Name"), tr("Value")});
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->verticalHeader()->hide();
    m_headers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_headers->setSelectionBehavior(QAbstractItemView::SelectRows);

    m_jwt = new JwtView(m_tabs);

    m_tabs->insertTab(TreeTab, m_tree, tr("Tree"));
    m_tabs->insertTab(PrettyTab, m_pretty, tr("Pretty"));
    m_tabs->insertTab(RawTab, m_raw, tr("Raw"));
    m_tabs->insertTab(HeadersTab, m_headers, tr("Headers"));
    m_tabs->insertTab(JwtTab, m_jwt, tr("JWT"));
    connect(m_tabs, &QTabWidget::currentChanged, this, &ResponseInspector::onTabChanged);

    m_searchBar = new QWidget(this);
    m_searchBar->setObjectName(QStringLiteral("searchBar"));
    m_searchField = new QLineEdit(m_searchBar);
    m_searchField->setObjectName(QStringLiteral("searchField"));
    m_searchField->setPlaceholderText(tr("Find in body"));
    m_searchField->setAccessibleName(tr("Find in body"));
    m_searchField->setClearButtonEnabled(true);
    auto* previous = new QToolButton(m_searchBar);
    previous->setObjectName(QStringLiteral("searchPrevious"));
    previous->setText(tr("Previous"));
    auto* next = new QToolButton(m_searchBar);
    next->setObjectName(QStringLiteral("searchNext"));
    next->setText(tr("Next"));
    auto* close = new QToolButton(m_searchBar);
    close->setText(tr("Close"));
    m_searchStatus = new QLabel(m_searchBar);
    m_searchStatus->setObjectName(QStringLiteral("searchStatus"));
    m_searchStatus->setTextInteractionFlags(Qt::TextSelectableByMouse); // the match's JSON pointer can be copied
    m_searchCancel = new QToolButton(m_searchBar);
    m_searchCancel->setObjectName(QStringLiteral("searchCancel"));
    m_searchCancel->setText(tr("Stop"));
    m_searchCancel->setToolTip(tr("Stop searching the whole reply"));
    m_searchCancel->hide();
    connect(m_searchCancel, &QToolButton::clicked, this, &ResponseInspector::cancelSearch);
    auto* searchLayout = new QHBoxLayout(m_searchBar);
    searchLayout->setContentsMargins(0, 0, 0, 0);
    searchLayout->addWidget(m_searchField, 1);
    searchLayout->addWidget(previous);
    searchLayout->addWidget(next);
    searchLayout->addWidget(m_searchStatus);
    searchLayout->addWidget(m_searchCancel);
    searchLayout->addWidget(close);
    m_searchBar->hide();
    connect(m_searchField, &QLineEdit::returnPressed, this, [this] {
        if (QApplication::keyboardModifiers() & Qt::ShiftModifier) {
            findPrevious();
        } else {
            findNext();
        }
    });
    connect(next, &QToolButton::clicked, this, [this] { findNext(); });
    connect(previous, &QToolButton::clicked, this, [this] { findPrevious(); });
    connect(close, &QToolButton::clicked, m_searchBar, &QWidget::hide);

    auto* find = new QShortcut(QKeySequence::Find, this, this, &ResponseInspector::showSearch);
    find->setContext(Qt::WidgetWithChildrenShortcut);
    auto* findNextKey = new QShortcut(QKeySequence::FindNext, this, this, [this] { findNext(); });
    findNextKey->setContext(Qt::WidgetWithChildrenShortcut);
    auto* findPreviousKey = new QShortcut(QKeySequence::FindPrevious, this, this, [this] { findPrevious(); });
    findPreviousKey->setContext(Qt::WidgetWithChildrenShortcut);
    auto* closeSearch = new QShortcut(QKeySequence(Qt::Key_Escape), m_searchBar, m_searchBar, [this] {
        if (m_searching) {
            cancelSearch(); // the first Escape stops a running search, the next one closes the bar
        } else {
            m_searchBar->hide();
        }
    });
    closeSearch->setContext(Qt::WidgetWithChildrenShortcut);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_envelope);
    layout->addWidget(m_hint);
    layout->addWidget(m_note);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_searchBar);
}

void ResponseInspector::clear()
{
    ++m_generation;
    if (stopSearch()) {
        Q_EMIT searchFinished(); // replaced by the next reply
    }
    m_wholeSearchNeedle.clear();
    m_searchStatus->clear();
    m_reply = {};
    m_model->clear();
    m_prettyLoader->stop();
    m_rawLoader->stop();
    m_pretty->clear();
    m_raw->clear();
    m_headers->setRowCount(0);
    m_jwt->clear();
    m_textReady = m_prettyFilled = m_rawFilled = false;
    m_prettyText.clear();
    m_rawText.clear();
    m_textNote.clear();
    m_jwtCandidate.clear();
    m_decodeJwt->setEnabled(false);
    m_status->setText(tr("No reply yet"));
    m_status->setPalette(palette());
    m_envelope->hide();
    m_hint->hide();
    setNote({});
    m_tabs->setTabEnabled(TreeTab, true);
    m_tabs->setCurrentIndex(TreeTab);
}

void ResponseInspector::showReply(const ReplyView& reply)
{
    clear();
    m_reply = reply;

    const QLocale locale;
    QStringList parts;
    // HTTP/2 replies carry no reason phrase: the standard one names the status all the same.
    const QString reason = reply.reason.isEmpty() ? standardReasonPhrase(reply.status) : reply.reason;
    parts << (reply.status > 0 ? QStringLiteral("%1 %2").arg(reply.status).arg(reason).trimmed()
                               : tr("No HTTP status"));
    if (reply.elapsedMs >= 0) {
        parts << tr("%1 ms").arg(reply.elapsedMs);
    }
    parts << locale.formattedDataSize(reply.body.size(), 1, QLocale::DataSizeTraditionalFormat);
    m_status->setText(parts.join(QStringLiteral(" · ")));
    QPalette statusPalette = palette();
    const bool ok = reply.status >= 200 && reply.status < 300;
    statusPalette.setColor(QPalette::WindowText, ok ? successColor(palette()) : errorColor(palette()));
    m_status->setPalette(statusPalette);
    m_status->setAccessibleName(tr("Reply status: %1").arg(m_status->text()));

    m_headers->setRowCount(static_cast<int>(reply.headers.size()));
    for (int row = 0; row < reply.headers.size(); ++row) {
        const auto& header = reply.headers.at(row);
        m_headers->setItem(row, 0, new QTableWidgetItem(QString::fromLatin1(header.first)));
        m_headers->setItem(row, 1, new QTableWidgetItem(QString::fromUtf8(header.second)));
    }
    m_headers->resizeColumnToContents(0);

    if (!reply.hint.isEmpty()) {
        m_hint->setText(reply.hint);
        m_hint->show();
    }

    if (reply.body.isEmpty()) {
        m_tabs->setTabEnabled(TreeTab, false);
        m_tabs->setCurrentIndex(HeadersTab);
        setNote(tr("The reply has no body."));
        Q_EMIT replyShown();
        return;
    }
    setNote(tr("Reading the body…"));
    m_model->load(reply.body,
                  reply.status,
                  reply.success); // the text views are prepared after the tree, so the two never compete for memory
}

void ResponseInspector::startTextJob()
{
    const QByteArray body = m_reply.body;
    const quint64 generation = m_generation;
    const QPointer<ResponseInspector> guard(this);
    QThreadPool::globalInstance()->start(QRunnable::create([body, generation, guard] {
        auto result = std::make_shared<TextJobResult>();
        const QByteArray head = body.left(TextViewCapBytes);
        result->raw = displayText(head, DisplayLineChars);
        result->pretty = looksLikeJson(body) ? displayText(json::prettyPrint(body, TextViewCapBytes), DisplayLineChars)
                                             : result->raw;
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [guard, generation, result] {
                if (guard) {
                    guard->applyTextJob(generation, result);
                }
            },
            Qt::QueuedConnection);
    }));
}

void ResponseInspector::applyTextJob(quint64 generation, std::shared_ptr<TextJobResult> result)
{
    if (generation != m_generation) {
        return;
    }
    m_prettyText = std::move(result->pretty);
    m_rawText = std::move(result->raw);
    m_textReady = true;
    if (m_reply.body.size() > TextViewCapBytes) {
        const QLocale locale;
        m_textNote = tr("The text views show the first %1 of %2; the tree shows everything.")
                         .arg(locale.formattedDataSize(TextViewCapBytes, 0, QLocale::DataSizeTraditionalFormat),
                              locale.formattedDataSize(m_reply.body.size(), 1, QLocale::DataSizeTraditionalFormat));
    }
    fillTextTab(m_tabs->currentIndex());
    setNote(m_note->property("baseNote").toString());
}

void ResponseInspector::onTreeLoaded()
{
    startTextJob();
    const json::ReplyEnvelope envelope = m_model->envelope();
    if (envelope.present) {
        m_envelope->setText(envelope.isError ? QStringLiteral("⚠ ") + envelope.summary() : envelope.summary());
        QPalette envelopePalette = palette();
        envelopePalette.setColor(QPalette::WindowText,
                                 envelope.isError ? errorColor(palette()) : palette().color(QPalette::WindowText));
        m_envelope->setPalette(envelopePalette);
        m_envelope->show();
    }
    setNote({});
    if (m_model->rowCount() > 0 && m_model->rowCount() <= 50) {
        m_tree->expand(m_model->index(0, 0)); // a lone envelope object opens by itself
        if (m_model->rowCount() > 1) {
            m_tree->collapse(m_model->index(0, 0));
        }
    }
    Q_EMIT replyShown();
}

void ResponseInspector::onTreeFailed(const QString& reason)
{
    startTextJob();
    m_tabs->setTabEnabled(TreeTab, false);
    m_tabs->setCurrentIndex(RawTab);
    setNote(tr("This body is not JSON (%1), so there is no tree. It is shown as raw text.").arg(reason));
    Q_EMIT replyShown();
}

void ResponseInspector::onTabChanged(int index)
{
    fillTextTab(index);
    setNote(m_note->property("baseNote").toString());
}

void ResponseInspector::fillTextTab(int index)
{
    if (!m_textReady) {
        return;
    }
    // Text goes into a view only when it is first looked at, and then a slice per event-loop turn.
    if (index == PrettyTab && !m_prettyFilled) {
        m_prettyFilled = true;
        m_prettyLoader->load(m_prettyText);
    } else if (index == RawTab && !m_rawFilled) {
        m_rawFilled = true;
        m_rawLoader->load(m_rawText);
    }
}

void ResponseInspector::setNote(const QString& text)
{
    m_note->setProperty("baseNote", text);
    QString shown = text;
    const int tab = m_tabs->currentIndex();
    if ((tab == PrettyTab || tab == RawTab) && !m_textNote.isEmpty()) {
        shown = shown.isEmpty() ? m_textNote : shown + QLatin1Char(' ') + m_textNote;
    }
    m_note->setText(shown);
    m_note->setVisible(!shown.isEmpty());
}

QString ResponseInspector::statusText() const
{
    return m_status->text();
}

QString ResponseInspector::envelopeText() const
{
    return m_envelope->isHidden() ? QString() : m_envelope->text();
}

QString ResponseInspector::searchStatusText() const
{
    return m_searchStatus->text();
}

QString ResponseInspector::bodyNote() const
{
    return m_note->text();
}

bool ResponseInspector::isLoading() const
{
    return m_model->isLoading() || (!m_reply.body.isEmpty() && !m_textReady);
}

void ResponseInspector::updateJwtCandidate()
{
    QString candidate;
    auto* view = qobject_cast<QPlainTextEdit*>(sender());
    if (view) {
        candidate = view->textCursor().selectedText().trimmed();
    } else {
        const QModelIndex current = m_tree->currentIndex();
        if (current.data(JsonTreeModel::IsJwtRole).toBool()) {
            candidate = m_model->valueText(current);
        }
    }
    m_jwtCandidate = Jwt::looksLikeJwt(candidate) ? candidate : QString();
    m_decodeJwt->setEnabled(!m_jwtCandidate.isEmpty());
}

void ResponseInspector::setJwks(const QString& jwksUri, ConnectionPtr connection)
{
    m_jwt->setJwks(jwksUri, std::move(connection));
}

bool ResponseInspector::decodeJwt(const QString& token)
{
    const bool ok = m_jwt->setToken(token);
    m_tabs->setCurrentIndex(JwtTab);
    return ok;
}

void ResponseInspector::showTreeMenu(const QPoint& pos)
{
    const QModelIndex index = m_tree->indexAt(pos);
    if (!index.isValid()) {
        return;
    }
    QMenu menu(this);
    const QString pointer = m_model->jsonPointer(index);
    QAction* copyValue = menu.addAction(tr("Copy value"));
    copyValue->setEnabled(!pointer.isEmpty() || index.parent().isValid() || m_model->rowCount() > 0);
    QAction* copyPointer = menu.addAction(tr("Copy JSON pointer"));
    copyPointer->setEnabled(!pointer.isEmpty());
    QAction* decode = menu.addAction(tr("Decode JWT"));
    decode->setEnabled(index.data(JsonTreeModel::IsJwtRole).toBool());
    QAction* chosen = menu.exec(m_tree->viewport()->mapToGlobal(pos));
    if (chosen == copyValue) {
        QGuiApplication::clipboard()->setText(m_model->valueText(index));
    } else if (chosen == copyPointer) {
        QGuiApplication::clipboard()->setText(pointer);
    } else if (chosen == decode) {
        decodeJwt(m_model->valueText(index));
    }
}

void ResponseInspector::showSearch()
{
    m_searchBar->show();
    m_searchField->setFocus(Qt::ShortcutFocusReason);
    m_searchField->selectAll();
}

QPlainTextEdit* ResponseInspector::currentTextView()
{
    if (m_tabs->currentIndex() == RawTab) {
        return m_raw;
    }
    if (m_tabs->currentIndex() != PrettyTab) {
        m_tabs->setCurrentIndex(PrettyTab); // the tree has no text to search: look in the formatted body
    }
    return m_pretty;
}

bool ResponseInspector::findNext(const QString& text)
{
    return find(text, false);
}

bool ResponseInspector::findPrevious(const QString& text)
{
    return find(text, true);
}

bool ResponseInspector::find(const QString& text, bool backward)
{
    const QString needle = text.isEmpty() ? m_searchField->text() : text;
    if (!text.isEmpty()) {
        m_searchField->setText(text);
    }
    if (needle.isEmpty()) {
        return false;
    }
    QPlainTextEdit* view = currentTextView();
    const QTextDocument::FindFlags flags = backward ? QTextDocument::FindBackward : QTextDocument::FindFlags();
    bool found = view->find(needle, flags);
    if (!found) { // wrap around once
        QTextCursor cursor = view->textCursor();
        cursor.movePosition(backward ? QTextCursor::End : QTextCursor::Start);
        view->setTextCursor(cursor);
        found = view->find(needle, flags);
    }
    m_searchStatus->setText(found ? QString() : tr("No match"));
    // The text views end at TextViewCapBytes: a longer body is searched whole in the background too.
    if (m_reply.body.size() > TextViewCapBytes && needle != m_wholeSearchNeedle) {
        searchWholeReply(needle);
    }
    return found;
}

void ResponseInspector::searchWholeReply(const QString& text)
{
    stopSearch();
    m_wholeSearchNeedle = text;
    if (text.isEmpty() || m_reply.body.isEmpty()) {
        return;
    }
    m_searchBar->show();
    m_searching = true;
    m_searchCancel->show();
    m_searchStatus->setText(tr("Searching the whole reply…"));
    auto stop = std::make_shared<std::atomic<bool>>(false);
    m_searchStop = stop;
    const quint64 searchId = ++m_searchId;
    const QByteArray body = m_reply.body; // shared, not copied
    const QByteArray needle = text.toUtf8();
    const QPointer<ResponseInspector> guard(this);
    const auto post = [guard](auto call) {
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [guard, call] {
                if (guard) {
                    call(guard.data());
                }
            },
            Qt::QueuedConnection);
    };
    QThreadPool::globalInstance()->start(QRunnable::create([body, needle, stop, searchId, post] {
        const json::BodySearchResult found = json::searchBody(body, needle, 0, [&](int percent) {
            post([searchId, percent](ResponseInspector* self) { self->onSearchProgress(searchId, percent); });
            return !stop->load();
        });
        QString pointer;
        if (!found.cancelled && found.firstOffset >= 0) {
            pointer = json::pointerAt(body, static_cast<quint64>(found.firstOffset), [&] { return !stop->load(); });
        }
        const bool cancelled = found.cancelled || stop->load();
        post([searchId, found, pointer, cancelled](ResponseInspector* self) {
            self->onSearchDone(searchId, found.matches, found.firstOffset, pointer, cancelled);
        });
    }));
}

void ResponseInspector::cancelSearch()
{
    if (!m_searching) {
        return;
    }
    stopSearch();
    m_searchStatus->setText(tr("Search stopped"));
    m_wholeSearchNeedle.clear(); // searching again starts over
    Q_EMIT searchFinished();
}

bool ResponseInspector::stopSearch()
{
    if (m_searchStop) {
        m_searchStop->store(true);
        m_searchStop.reset();
    }
    ++m_searchId; // reports of the stopped search still on their way are dropped
    const bool wasSearching = m_searching;
    m_searching = false;
    m_searchCancel->hide();
    return wasSearching;
}

void ResponseInspector::onSearchProgress(quint64 searchId, int percent)
{
    if (searchId != m_searchId || !m_searching) {
        return;
    }
    m_searchStatus->setText(tr("Searching the whole reply… %1 %").arg(percent));
    Q_EMIT searchProgress(percent);
}

void ResponseInspector::onSearchDone(
    quint64 searchId, qint64 matches, qint64 firstOffset, const QString& pointer, bool cancelled)
{
    if (searchId != m_searchId || !m_searching) {
        return;
    }
    m_searching = false;
    m_searchCancel->hide();
    m_searchStop.reset();
    if (cancelled) {
        m_searchStatus->setText(tr("Search stopped"));
    } else if (matches == 0) {
        m_searchStatus->setText(tr("No match in the whole reply"));
    } else {
        const QString count
            = tr("%n match(es) in the whole reply", nullptr, static_cast<int>(std::min<qint64>(matches, INT_MAX)));
        m_searchStatus->setText(pointer.isEmpty() ? count : tr("%1; the first is at %2").arg(count, pointer));
        const QModelIndex row = m_model->topLevelIndexAt(static_cast<quint64>(firstOffset));
        if (row.isValid()) {
            m_tree->setCurrentIndex(row);
            m_tree->scrollTo(row);
        }
    }
    Q_EMIT searchFinished();
}

} // namespace keyway::ui
