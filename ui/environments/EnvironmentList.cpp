#include "ui/environments/EnvironmentList.h"

#include "ui/environments/EnvironmentListModel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace keyway::ui {

EnvironmentList::EnvironmentList(EnvironmentListModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_view(new QTreeView(this)), m_toolBar(new QToolBar(this))
{
    setObjectName(QStringLiteral("environmentList"));
    m_toolBar->setObjectName(QStringLiteral("environmentToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonIconOnly);
    m_toolBar->setIconSize(QSize(16, 16));

    m_view->setObjectName(QStringLiteral("environmentTree"));
    m_view->setModel(m_model);
    m_view->setHeaderHidden(false);
    m_view->setRootIsDecorated(false);
    m_view->setItemsExpandable(false);
    m_view->setUniformRowHeights(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAllColumnsShowFocus(true);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_view->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_view->setAccessibleName(tr("Environments"));

    auto* title = new QLabel(tr("Environ&ments"), this);
    QFont font = title->font();
    font.setBold(true);
    title->setFont(font);
    title->setBuddy(m_view);

    auto* header = new QHBoxLayout;
    header->addWidget(title, 1);
    header->addWidget(m_toolBar);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_view, 1);

    // Groups are always open: a collapsed provider would hide environments for no gain.
    connect(m_model, &QAbstractItemModel::rowsInserted, m_view, &QTreeView::expandAll);
    connect(m_model, &QAbstractItemModel::modelReset, m_view, &QTreeView::expandAll);
    // A provider's row has nothing in the Keychain column: its name takes the whole width before it is cut.
    connect(m_model, &QAbstractItemModel::rowsInserted, m_view, [this](const QModelIndex& under, int first, int last) {
        if (!under.isValid()) {
            for (int row = first; row <= last; ++row) {
                m_view->setFirstColumnSpanned(row, under, true);
            }
        }
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& index) {
        const QString id = m_model->environmentIdAt(index);
        if (id != m_current) {
            m_current = id;
            Q_EMIT currentEnvironmentChanged(id);
        }
    });
    connect(m_view, &QTreeView::activated, this, [this](const QModelIndex& index) {
        const QString id = m_model->environmentIdAt(index);
        if (!id.isEmpty()) {
            Q_EMIT activated(id);
        }
    });
}

QString EnvironmentList::currentEnvironmentId() const
{
    return m_model->environmentIdAt(m_view->currentIndex());
}

void EnvironmentList::selectEnvironment(const QString& environmentId)
{
    m_view->expandAll();
    const QModelIndex index = m_model->indexOfEnvironment(environmentId);
    if (index.isValid()) {
        m_view->setCurrentIndex(index);
        m_view->scrollTo(index);
    } else {
        m_view->setCurrentIndex({});
        if (!m_current.isEmpty()) {
            m_current.clear();
            Q_EMIT currentEnvironmentChanged({});
        }
    }
}

} // namespace keyway::ui
