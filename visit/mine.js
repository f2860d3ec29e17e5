// "My tickets and orders": what this visitor ordered and booked, from the phone's own copy (shown with no
// connection) brought up to date by the hub's `mine` read after every (re)connect and its `mine` pushes.
import { make } from "/common/dom.js";
import { clockShort, dayOf } from "/common/time.js";
import { language, named, t, won } from "./i18n.js";

const $ = (id) => document.getElementById(id);

export class Mine {
  /** orders: the Orders; demos: the Demos; go(path). */
  constructor({ link, orders, demos, go }) {
    this.link = link;
    this.orders = orders;
    this.demos = demos;
    this.go = go;
    link.addEventListener("ready", () => this.read());
    link.addEventListener("push:mine", (event) => {
      this.orders.onMine(event.detail);
      this.demos.onMine(event.detail);
      this.render();
    });
  }

  async read() {
    try {
      const answer = await this.link.command("mine", {});
      this.orders.merge(answer.orders || []);
      this.demos.merge(answer.tickets || []);
      this.render();
    } catch (err) {
      // The phone's own copy stands; the next reconnect reads again.
    }
  }

  render() {
    fill($("mine-orders"), this.orders.orders, t("mine.no_orders"), (order) => ({
      data: { code: order.code, status: order.status }, href: `#/order/${order.code}`,
      code: order.code, what: won(order.total), status: t(`order.status_${order.status}`),
    }));
    fill($("mine-tickets"), this.demos.tickets, t("mine.no_tickets"), (ticket) => ({
      data: { ticket: ticket.ticket_id, status: ticket.status }, href: `#/ticket/${ticket.ticket_id}`,
      code: `${dayOf(ticket.starts_at, language.current)} ${clockShort(ticket.starts_at)}`,
      what: named(ticket.demo), status: t(`ticket.short_${ticket.status}`),
    }));
  }
}

/** One list of the visitor's own things, each a link to its view; `none` when there is nothing. */
function fill(list, things, none, shown) {
  list.replaceChildren(...(things.length ? things.map((thing) => {
    const { data, href, code, what, status } = shown(thing);
    const item = make("li", "mine-item");
    Object.assign(item.dataset, data);
    const link = make("a", "mine-open");
    link.href = href;
    link.append(make("span", "mine-code", code), make("span", "mine-what", what), make("span", "mine-status", status));
    item.append(link);
    return item;
  }) : [make("li", "quiet", none)]));
}
