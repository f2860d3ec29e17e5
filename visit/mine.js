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
    $("mine-orders").replaceChildren(...(this.orders.orders.length ? this.orders.orders.map((order) => {
      const item = make("li", "mine-item");
      item.dataset.code = order.code;
      item.dataset.status = order.status;
      const link = make("a", "mine-open");
      link.href = `#/order/${order.code}`;
      link.append(make("span", "mine-code", order.code), make("span", "mine-what", won(order.total)),
        make("span", "mine-status", t(`order.status_${order.status}`)));
      item.append(link);
      return item;
    }) : [make("li", "quiet", t("mine.no_orders"))]));
    $("mine-tickets").replaceChildren(...(this.demos.tickets.length ? this.demos.tickets.map((ticket) => {
      const item = make("li", "mine-item");
      item.dataset.ticket = ticket.ticket_id;
      item.dataset.status = ticket.status;
      const link = make("a", "mine-open");
      link.href = `#/ticket/${ticket.ticket_id}`;
      link.append(make("span", "mine-code", `${dayOf(ticket.starts_at, language.current)} ${clockShort(ticket.starts_at)}`),
        make("span", "mine-what", named(ticket.demo)), make("span", "mine-status", t(`ticket.short_${ticket.status}`)));
      item.append(link);
      return item;
    }) : [make("li", "quiet", t("mine.no_tickets"))]));
  }
}
